export { availableMemoryMB } from './available-memory.ts';
export { type FallbackResult, generateWithFallback } from './generate-with-fallback.ts';
export { chooseTier, lowerTier, type TierChoice, type TierConstraints, tiersByCost } from './tier-choice.ts';
