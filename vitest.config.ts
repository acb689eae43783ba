import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The model tests load onnxruntime sessions; one file at a time keeps the 2-core CI machine honest.
    fileParallelism: false,
  },
});
