import {
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  ModelWrapper,
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
export class TimedModel extends ModelWrapper {
  private readonly spans = new Map<number, GenerateSpan[]>();

  override async generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> {
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
  override async dispose(): Promise<void> {}
}
