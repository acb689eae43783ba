import type { ArtifactStore } from '../../../src/artifacts/index.ts';

/** An artifact store that times each put() (performance.now(), ms), by key. */
export class TimedArtifacts implements ArtifactStore {
  private readonly puts = new Map<string, { start: number; end: number }>();

  constructor(private readonly inner: ArtifactStore) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const start = performance.now();
    await this.inner.put(key, bytes);
    this.puts.set(key, { start, end: performance.now() });
  }

  get(key: string): Promise<Buffer | null> {
    return this.inner.get(key);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  /** The last put of `key`, or undefined. */
  putOf(key: string): { start: number; end: number } | undefined {
    return this.puts.get(key);
  }
}
