export { cleanText, codePointLength } from './clean-text.ts';
export { type CachedClip, type CacheLookup, ClipCache, type WarmClip, WarmClips } from './clip-cache.ts';
export {
  type ClipIdentity,
  clipFingerprint,
  clipIdentityOf,
  type IdentityFacts,
  type SeedlessIdentity,
  seedlessFingerprint,
} from './clip-fingerprint.ts';
export { DEFAULT_BLOCKLIST } from './default-blocklist.ts';
export { effectiveQuality } from './effective-quality.ts';
export { type ImageFormat, type ImageHeader, readImageHeader } from './image-header.ts';
export type { ModerationResult } from './moderation.ts';
export { BLOCKED_PROMPT_MESSAGE, PromptModerator } from './moderation.ts';
export { moderationText } from './moderation-text.ts';
export { neutraliseMentions } from './neutralise-mentions.ts';
export * from './rate-limits/index.ts';
export {
  type CheckedImage,
  checkStartImage,
  type ImageCheck,
  type ImageModel,
} from './start-image.ts';
export { validateOptions } from './validate-options.ts';
export { validateRequest } from './validate-request.ts';
export type {
  ValidatedOptions,
  ValidatedRequest,
  ValidationFailure,
  ValidationField,
  ValidationProblem,
  ValidationResult,
} from './validated-request.ts';
export type { ValidationRules } from './validation-rules.ts';
export { validationRulesSchema } from './validation-rules.ts';
