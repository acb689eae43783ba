import type { VideoRequest } from '../core/index.ts';
import { cleanText, codePointLength } from './clean-text.ts';
import { neutraliseMentions } from './neutralise-mentions.ts';
import { validateOptions } from './validate-options.ts';
import type { ValidationProblem, ValidationResult } from './validated-request.ts';
import type { ValidationRules } from './validation-rules.ts';

/** One problem reads as itself; several as a list, so the user can fix them all in one go. */
function refusalText(problems: ValidationProblem[]): string {
  if (problems.length === 1) return problems[0]?.message ?? '';
  return ["I can't make that video yet:", ...problems.map((p) => `• ${p.message}`)].join('\n');
}

function checkPrompt(prompt: unknown, rules: ValidationRules): string | ValidationProblem {
  if (typeof prompt !== 'string') return { field: 'prompt', message: 'Your prompt must be text.' };
  const cleaned = cleanText(prompt);
  // Counted before mentions are neutralised, so the number matches what the user typed; the
  // zero-width spaces added after `@` may take the stored prompt a few code points past the limit.
  const length = codePointLength(cleaned);
  const { minPromptLength: min, maxPromptLength: max } = rules;
  if (length < min) {
    return { field: 'prompt', message: `Your prompt is too short: it needs at least ${min} characters.` };
  }
  if (length > max) {
    return {
      field: 'prompt',
      message: `Your prompt is too long: ${length} characters, the limit is ${max}.`,
    };
  }
  return neutraliseMentions(cleaned);
}

/**
 * Admission's first check. Cleans the prompt and negative prompt (control characters out,
 * whitespace collapsed, mentions made harmless), checks lengths in code points and every option
 * against the model's rules. Returns the normalised request, or every problem found at once.
 */
export function validateRequest(request: VideoRequest, rules: ValidationRules): ValidationResult {
  const prompt = checkPrompt(request.prompt, rules);
  const { options, problems } = validateOptions(request.options ?? {}, rules);
  if (typeof prompt !== 'string') problems.unshift(prompt);
  if (typeof prompt !== 'string' || problems.length > 0) {
    return { ok: false, reason: 'invalid-input', problems, message: refusalText(problems) };
  }
  return { ok: true, request: { ...request, prompt, options } };
}
