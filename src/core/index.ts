export type { ButtonPress, ChatAdapter, ReplyTarget, RequestHandler } from './chat-adapter.ts';
export { CodedError } from './coded-error.ts';
export type { ClipDelivery, DeliverJobData, GenerateJobData, GenerateProgressData } from './job-types.ts';
export { randomSeed } from './random-seed.ts';
export type { FinishedClip, RefusalReason, Reply } from './reply.ts';
export {
  PLATFORMS,
  type Platform,
  type QualityChoice,
  type Requester,
  type TenantRef,
  tenantKeyOf,
  userKeyOf,
  type VideoOptions,
  type VideoRequest,
} from './video-request.ts';
