import { AUTO_QUALITY, type CommandDefinition, modelFacts, videoCommand } from '../../commands/index.ts';
import { type ValidationRules, validationRulesSchema } from '../admission/index.ts';
import type { ModelManifest } from '../model/manifest.ts';

/**
 * Admission's ranges, read off the /video definition: prompt and negative prompt lengths, the steps
 * and guidance ranges and the tier names it offers. Throws when the definition lacks one, so a
 * range dropped from the definition cannot silently stop being checked.
 */
export function videoValidationRules(definition: CommandDefinition): ValidationRules {
  const option = (name: string) => {
    const found = definition.options.find((o) => o.name === name);
    if (!found) throw new Error(`/${definition.name} has no ${name} option`);
    return found;
  };
  const bound = (name: string, key: 'min' | 'max' | 'minLength' | 'maxLength'): number => {
    const value = option(name)[key];
    if (value === undefined) throw new Error(`/${definition.name}'s ${name} option has no ${key}`);
    return value;
  };
  return validationRulesSchema.parse({
    minPromptLength: bound('prompt', 'minLength'),
    maxPromptLength: bound('prompt', 'maxLength'),
    maxNegativeLength: bound('negative', 'maxLength'),
    maxCaptionLength: bound('caption', 'maxLength'),
    minSteps: bound('steps', 'min'),
    maxSteps: bound('steps', 'max'),
    maxGuidance: bound('guidance', 'max'),
    tiers: (option('quality').choices ?? []).map((c) => c.value).filter((name) => name !== AUTO_QUALITY),
  });
}

/**
 * What admission checks requests against, for the model's manifest: the /video definition for that
 * model, read as rules. The bot reads model.json but never loads the model itself (that is the
 * worker's job).
 */
export function validationRulesFor(manifest: ModelManifest): ValidationRules {
  return videoValidationRules(videoCommand.define(modelFacts(manifest)));
}
