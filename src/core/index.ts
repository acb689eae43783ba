export type { ButtonPress, ChatAdapter, ReplyTarget, RequestHandler } from './chat-adapter.ts';
export { CodedError } from './coded-error.ts';
export type { ClipDelivery, DeliverJobData, GenerateJobData, GenerateProgressData } from './job-types.ts';
export { randomSeed } from './random-seed.ts';
export type { FinishedClip, RefusalReason, Reply } from './reply.ts';
export type {
  Platform,
  QualityChoice,
  Requester,
  TenantRef,
  VideoOptions,
  VideoRequest,
} from './video-request.ts';
