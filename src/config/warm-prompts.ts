import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PLATFORMS } from '../core/index.ts';
import { ConfigError } from './config-error.ts';

/** One prompt to render ahead: plain text, or text with the options a request would name. */
const warmPromptSchema = z.union([
  z.string().min(1).max(500),
  z.strictObject({
    prompt: z.string().min(1).max(500),
    caption: z.string().min(1).max(100).optional(),
    quality: z.string().min(1).max(32).optional(),
  }),
]);

const TENANT_KEY = new RegExp(`^(${PLATFORMS.join('|')}):\\S+$`);

/** Each tenant's own prompts, keyed platform:id as admission keys tenants. */
const tenantPrompts = z.record(z.string(), z.array(warmPromptSchema)).superRefine((tenants, ctx) => {
  for (const key of Object.keys(tenants).filter((k) => !TENANT_KEY.test(k)))
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `a tenant is written platform:id (${PLATFORMS.join(', ')}), e.g. discord:123456789012345678`,
    });
});

/** The file CLIPBOT_WARM_PROMPTS names: prompts for every tenant, and each tenant's own. */
export const warmPromptsFileSchema = z
  .strictObject({
    global: z.array(warmPromptSchema).default([]),
    tenants: tenantPrompts.default({}),
  })
  .refine(
    (file) => file.global.length + Object.values(file.tenants).flat().length <= 500,
    'at most 500 prompts in all: each is rendered again before it expires',
  );

/** One warm prompt, normalised: the options a plain-text entry leaves out stay unset. */
export interface WarmPrompt {
  prompt: string;
  caption?: string;
  quality?: string;
  /** Whose default tier and blocklist apply: a tenant key, or undefined for a global prompt. */
  tenantKey?: string;
}

/**
 * Reads and checks the warm prompts file. Throws ConfigError naming the file and every problem, so
 * a typo stops the start rather than silently warming nothing.
 */
export function loadWarmPrompts(path: string): WarmPrompt[] {
  const fail = (problem: string, cause?: unknown): never => {
    throw new ConfigError(`invalid environment: CLIPBOT_WARM_PROMPTS file ${path}: ${problem}`, { cause });
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${(error as Error).message})`, error);
  }
  const parsed = warmPromptsFileSchema.safeParse(json);
  if (!parsed.success) return fail(`\n${z.prettifyError(parsed.error)}`, parsed.error);
  const entry = (item: z.infer<typeof warmPromptSchema>, tenantKey?: string): WarmPrompt => ({
    ...(typeof item === 'string' ? { prompt: item } : item),
    ...(tenantKey ? { tenantKey } : {}),
  });
  return [
    ...parsed.data.global.map((item) => entry(item)),
    ...Object.entries(parsed.data.tenants).flatMap(([key, items]) => items.map((item) => entry(item, key))),
  ];
}
