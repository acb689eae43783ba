import { z } from 'zod';

/** One timed run: the pipeline's own timings, the encode when there was one. */
export const runTimingSchema = z.object({
  seed: z.number(),
  textMs: z.number(),
  sampleMs: z.number(),
  decodeMs: z.number(),
  generateMs: z.number(),
  encodeMs: z.number().optional(),
  bytes: z.number().optional(),
});

/** What a child process measured for one tier: the JSON line it prints, checked by the parent. */
export const tierResultSchema = z.object({
  tier: z.object({
    name: z.string(),
    width: z.number(),
    height: z.number(),
    frames: z.number(),
    steps: z.number(),
    memoryMB: z.number(),
  }),
  provider: z.string(),
  onnxruntime: z.string(),
  threads: z.number(),
  loadMs: z.number(),
  runs: z.array(runTimingSchema).min(1),
  /** Peak resident memory of the child process (the model, sessions and frames; not ffmpeg). */
  peakRssMiB: z.number(),
});

export type RunTiming = z.infer<typeof runTimingSchema>;
export type TierResult = z.infer<typeof tierResultSchema>;
