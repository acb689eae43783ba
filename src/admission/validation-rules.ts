import { z } from 'zod';

const whole = z.number().int();

/**
 * The limits admission checks a request against, derived from the /video definition (prompt lengths,
 * and the model manifest's step and guidance limits and tier names; src/bot/model-rules.ts). Parse
 * once at start-up. The seed's range is the same for every model (SEED_MAX).
 */
export const validationRulesSchema = z
  .object({
    minPromptLength: whole.min(1).default(3).describe('Fewest characters (code points) in a prompt.'),
    maxPromptLength: whole.min(1).default(500).describe('Most characters (code points) in a prompt.'),
    maxNegativeLength: whole.min(0).default(200).describe('Most characters in a negative prompt.'),
    maxCaptionLength: whole.min(0).default(100).describe('Most characters in a caption.'),
    minSteps: whole.min(1).describe("The model's fewest sampling steps."),
    maxSteps: whole.min(1).describe("The model's most sampling steps."),
    maxGuidance: z.number().finite().min(0).describe("The model's strongest guidance."),
    tiers: z.array(z.string().min(1)).min(1).describe("Quality tier names the model offers ('auto' aside)."),
  })
  .refine((r) => r.minPromptLength <= r.maxPromptLength, 'minPromptLength must not exceed maxPromptLength')
  .refine((r) => r.minSteps <= r.maxSteps, 'minSteps must not exceed maxSteps');

/** Parsed {@link validationRulesSchema}. */
export type ValidationRules = z.infer<typeof validationRulesSchema>;
