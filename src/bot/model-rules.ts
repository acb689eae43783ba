import { type ValidationRules, validationRulesSchema } from '../admission/index.ts';
import type { ModelManifest } from '../model/manifest.ts';

/**
 * What admission checks requests against, from the model's manifest: the bot reads model.json but
 * never loads the model itself (that is the worker's job).
 */
export function validationRulesFor(manifest: ModelManifest): ValidationRules {
  return validationRulesSchema.parse({
    minSteps: manifest.limits.minSteps,
    maxSteps: manifest.limits.maxSteps,
    maxGuidance: manifest.limits.maxGuidance,
    tiers: manifest.tiers.map((t) => t.name),
    frameChoices: [...new Set(manifest.tiers.map((t) => t.frames))],
  });
}
