import { type ModelManifest, type QualityTier, takesStartImage } from '../../src/model/manifest.ts';

/** What a command's definition needs to know about the model: tiers and the ranges it accepts. */
export interface ModelFacts {
  readonly modelName: string;
  /** In the manifest's order. */
  readonly tiers: readonly Pick<QualityTier, 'name' | 'width' | 'height' | 'frames'>[];
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly maxGuidance: number;
  readonly defaultGuidance: number;
  /** Whether the model can start a clip from a picture (image to video). */
  readonly takesImage: boolean;
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
    takesImage: takesStartImage(manifest),
  };
}
