import type { ModelManifest, QualityTier } from '../../src/model/index.ts';

/** What a command's definition needs to know about the model: tiers and the ranges it accepts. */
export interface ModelFacts {
  readonly modelName: string;
  /** In the manifest's order. */
  readonly tiers: readonly Pick<QualityTier, 'name' | 'width' | 'height' | 'frames'>[];
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly maxGuidance: number;
  readonly defaultGuidance: number;
}

/** The facts of a validated model manifest. */
export function modelFacts(manifest: ModelManifest): ModelFacts {
  return {
    modelName: manifest.name,
    tiers: manifest.tiers.map(({ name, width, height, frames }) => ({ name, width, height, frames })),
    minSteps: manifest.limits.minSteps,
    maxSteps: manifest.limits.maxSteps,
    maxGuidance: manifest.limits.maxGuidance,
    defaultGuidance: manifest.defaults.guidance,
  };
}
