import type { QualityTier } from './manifest.ts';
import type { GeneratedVideo, GenerateOptions, GenerateRequest, VideoModel } from './video-model.ts';

/**
 * A model that wraps another and passes everything through: a subclass overrides what it changes
 * (the worker's BatchingModel, the benches' and tests' timing wrappers).
 */
export class ModelWrapper implements VideoModel {
  constructor(protected readonly inner: VideoModel) {}

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

  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> {
    return this.inner.generate(request, options);
  }

  async freeMemoryMB(): Promise<number | undefined> {
    return this.inner.freeMemoryMB?.();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
