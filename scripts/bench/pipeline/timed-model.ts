import type {
  GeneratedVideo,
  GenerateOptions,
  GenerateRequest,
  QualityTier,
  VideoModel,
} from '../../../src/model/index.ts';

/** One generate() call: when it ran (performance.now(), ms). */
export interface GenerateSpan {
  start: number;
  end: number;
}

/**
 * The model the worker is given, with every generate() call timed and kept by seed (the bench gives
 * each clip its own seed). Inference is exactly what this wraps: text encode, sampling and decode.
 */
export class TimedModel implements VideoModel {
  private readonly spans = new Map<number, GenerateSpan[]>();

  constructor(private readonly inner: VideoModel) {}

  get name(): string {
    return this.inner.name;
  }
  get tiers(): readonly QualityTier[] {
    return this.inner.tiers;
  }
  get defaultTier(): string {
    return this.inner.defaultTier;
  }
  get fps(): number {
    return this.inner.fps;
  }
  get maxRunMs(): number | undefined {
    return this.inner.maxRunMs;
  }

  async generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> {
    const start = performance.now();
    const video = await this.inner.generate(request, options);
    const span = { start, end: performance.now() };
    const seed = request.seed ?? Number.NaN;
    this.spans.set(seed, [...(this.spans.get(seed) ?? []), span]);
    return video;
  }

  /** The calls for `seed`; more than one when a tier fallback retried. Failed calls are not kept. */
  callsFor(seed: number): GenerateSpan[] {
    return this.spans.get(seed) ?? [];
  }

  /** The bench disposes of the real model itself, once, after every worker has stopped. */
  async dispose(): Promise<void> {}
}
