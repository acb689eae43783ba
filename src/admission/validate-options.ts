import type { VideoOptions } from '../core/index.ts';
// The file, not src/model/index.ts: that one loads onnxruntime, which the bot never needs.
import { SEED_MAX } from '../model/seed-range.ts';
import { cleanText, codePointLength } from './clean-text.ts';
import { neutraliseMentions } from './neutralise-mentions.ts';
import type { ValidatedOptions, ValidationProblem } from './validated-request.ts';
import type { ValidationRules } from './validation-rules.ts';

/** Spelt like a tier name (the manifest's rule), so safe to repeat back: no mention, no markup. */
const TIER_NAME = /^[a-z0-9-]{1,32}$/;

/** The value as the user may see it: numbers only, so no user text is echoed. */
function shown(value: unknown): string {
  return typeof value === 'number' ? `you gave ${value}` : 'you gave something that is not a number';
}

/**
 * Checks every option against the rules and returns the normalised options with all the problems
 * found (not just the first); each message names the option and what it accepts.
 */
export function validateOptions(
  options: VideoOptions,
  rules: ValidationRules,
): { options: ValidatedOptions; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const out: ValidatedOptions = { quality: 'auto', private: options.private === true };
  const { seed, steps, guidance, quality, negativePrompt, caption } = options;

  if (seed !== undefined) {
    if (Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX) out.seed = seed;
    else
      problems.push({
        field: 'seed',
        message: `seed must be a whole number from 0 to ${SEED_MAX}; ${shown(seed)}.`,
      });
  }
  if (steps !== undefined) {
    if (Number.isInteger(steps) && steps >= rules.minSteps && steps <= rules.maxSteps) out.steps = steps;
    else
      problems.push({
        field: 'steps',
        message: `steps must be a whole number from ${rules.minSteps} to ${rules.maxSteps}; ${shown(steps)}.`,
      });
  }
  if (guidance !== undefined) {
    // `+ 0` turns -0 into 0.
    if (Number.isFinite(guidance) && guidance >= 0 && guidance <= rules.maxGuidance)
      out.guidance = guidance + 0;
    else
      problems.push({
        field: 'guidance',
        message: `guidance must be a number from 0 to ${rules.maxGuidance}; ${shown(guidance)}.`,
      });
  }
  if (quality !== undefined) {
    const offered = ['auto', ...rules.tiers].join(', ');
    if (quality === 'auto' || rules.tiers.includes(quality)) out.quality = quality;
    else if (typeof quality === 'string' && TIER_NAME.test(quality))
      problems.push({
        field: 'quality',
        message: `quality ${quality} is not offered by this model; choose one of: ${offered}.`,
      });
    else problems.push({ field: 'quality', message: `quality must be one of: ${offered}.` });
  }
  if (typeof negativePrompt === 'string') {
    const cleaned = cleanText(negativePrompt);
    const length = codePointLength(cleaned);
    if (length > rules.maxNegativeLength)
      problems.push({
        field: 'negativePrompt',
        message: `Your negative prompt is too long: ${length} characters, the limit is ${rules.maxNegativeLength}.`,
      });
    else if (cleaned !== '') out.negativePrompt = neutraliseMentions(cleaned);
  } else if (negativePrompt !== undefined) {
    problems.push({ field: 'negativePrompt', message: 'The negative prompt must be text.' });
  }
  if (typeof caption === 'string') {
    // Mentions stay as typed: a caption is drawn into the picture, where nothing can ping.
    const cleaned = cleanText(caption);
    const length = codePointLength(cleaned);
    if (length > rules.maxCaptionLength)
      problems.push({
        field: 'caption',
        message: `Your caption is too long: ${length} characters, the limit is ${rules.maxCaptionLength}.`,
      });
    else if (cleaned !== '') out.caption = cleaned;
  } else if (caption !== undefined) {
    problems.push({ field: 'caption', message: 'The caption must be text.' });
  }
  return { options: out, problems };
}
