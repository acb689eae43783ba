export type { AdmitInput, LimitDecision, LimitPeek, PeekInput, ShareInput } from './admission-limiter.ts';
export { AdmissionLimiter } from './admission-limiter.ts';
export type { AdmissionLimits } from './admission-limits.ts';
export { admissionLimitsSchema, DEFAULT_ADMISSION_LIMITS, withLimits } from './admission-limits.ts';
export type { LimitRefusalReason } from './refusal-message.ts';
export { formatRetryTime, refusalMessage } from './refusal-message.ts';
