export { availableMemoryMB } from './available-memory.ts';
export { expectedTimes, tierRun } from './expected-times.ts';
export { type FallbackResult, generateWithFallback } from './generate-with-fallback.ts';
export { chooseTier, lowerTier, type TierChoice, type TierConstraints, tiersByCost } from './tier-choice.ts';
export {
  chooseTierForJob,
  DEFAULT_AUTO_TARGET_MS,
  QUEUE_LIMIT_MS,
  type TierForJobSources,
} from './tier-for-job.ts';
