import { type ModelManifest, modelIdentity, type QualityTier } from './manifest.ts';

/**
 * What a model loaded from a model.json says of itself, read from its manifest: the part every
 * backend (the ONNX pipeline, a ComfyUI server) shares. `name` is the model's identity, the name
 * its clips are cached under (for a ComfyUI model, with its backend and workflow).
 */
export abstract class ManifestModel<M extends ModelManifest> {
  protected constructor(readonly manifest: M) {}

  get name(): string {
    return modelIdentity(this.manifest);
  }
  get tiers(): readonly QualityTier[] {
    return this.manifest.tiers;
  }
  get defaultTier(): string {
    return this.manifest.defaults.tier;
  }
  get fps(): number {
    return this.manifest.fps;
  }
  get maxRunMs(): number {
    return this.manifest.limits.maxRunMs;
  }
}
