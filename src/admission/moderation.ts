import { moderationText, termPattern } from './moderation-text.ts';

/** The refusal: polite, and it repeats neither the prompt nor the term that matched. */
export const BLOCKED_PROMPT_MESSAGE =
  "I can't make that video: the prompt contains a term that isn't allowed here. Try rephrasing it.";

/** The outcome of {@link PromptModerator.check}. */
export type ModerationResult =
  | { allowed: true }
  | { allowed: false; reason: 'blocked-prompt'; message: string };

function compile(terms: readonly string[]): RegExp[] {
  return terms.flatMap((term) => termPattern(term) ?? []);
}

/**
 * Refuses prompts containing a blocked word or phrase: the operator's global list plus a tenant's
 * own additions. Matching is case-insensitive, whole words only ("ass" does not block "class"),
 * and sees through diacritics, leetspeak digits, stretched letters and spelled-out words ("b.a.d").
 */
export class PromptModerator {
  private readonly global: RegExp[];
  /** Tenant lists change rarely and repeat on every request: keep the last few compiled. */
  private readonly tenantCache = new Map<string, RegExp[]>();

  constructor(globalBlocklist: readonly string[]) {
    this.global = compile(globalBlocklist);
  }

  check(prompt: string, tenantAdditions: readonly string[] = []): ModerationResult {
    const text = moderationText(prompt);
    const patterns = [...this.global, ...this.tenantPatterns(tenantAdditions)];
    if (patterns.some((pattern) => pattern.test(text))) {
      return { allowed: false, reason: 'blocked-prompt', message: BLOCKED_PROMPT_MESSAGE };
    }
    return { allowed: true };
  }

  /** A request's prompt and, since it is shown in the clip too, its caption. */
  checkRequest(
    request: { prompt: string; options: { caption?: string } },
    tenantAdditions: readonly string[] = [],
  ): ModerationResult {
    const prompt = this.check(request.prompt, tenantAdditions);
    const { caption } = request.options;
    return prompt.allowed && caption ? this.check(caption, tenantAdditions) : prompt;
  }

  private tenantPatterns(terms: readonly string[]): RegExp[] {
    if (terms.length === 0) return [];
    const key = terms.join('\n');
    let patterns = this.tenantCache.get(key);
    if (!patterns) {
      patterns = compile(terms);
      if (this.tenantCache.size >= 100) this.tenantCache.clear();
      this.tenantCache.set(key, patterns);
    }
    return patterns;
  }
}
