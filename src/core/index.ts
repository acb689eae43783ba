export {
  type AttachedImage,
  IMAGE_MAX_BYTES,
  IMAGE_SIDES,
  ImageUnavailableError,
  imageFromBytes,
  readCapped,
  shownFileName,
} from './attached-image.ts';
export type {
  ButtonPress,
  ChatAdapter,
  NoticeTarget,
  PostOrigin,
  PostPlace,
  RenderResult,
  ReplyHandle,
  ReplyTarget,
  RequestHandler,
} from './chat-adapter.ts';
export { CodedError } from './coded-error.ts';
export type { CommunityEvent, CommunityEventChange } from './community-event.ts';
export type {
  ClipDelivery,
  DeliverJobData,
  GenerateJobData,
  GenerateProgressData,
  ReplyRecord,
  StoredImage,
} from './job-types.ts';
export type {
  EffectiveLimit,
  EffectiveLimits,
  NextClipView,
  QueuedJobView,
  QueueView,
  TenantLimitName,
  TimeFormatter,
} from './queue-view.ts';
export { randomSeed } from './random-seed.ts';
export {
  type FinalReply,
  type FinishedClip,
  isFinal,
  type RefusalReason,
  type Reply,
} from './reply.ts';
export {
  actionsFor,
  BUTTON_ACTIONS,
  type ButtonAction,
  buttonId,
  buttonsFor,
  parseButtonId,
  type ReplyButton,
  type ShownReply,
} from './reply-buttons.ts';
export { progressBar, tryAgainAt, withRetrySentence } from './reply-text.ts';
export {
  SCHEDULE_ACTIONS,
  SCHEDULE_WHEN_MAX_LENGTH,
  type ScheduleAction,
  type ScheduleAnswer,
  type ScheduleCommand,
  type ScheduleSpec,
  type ScheduleView,
} from './schedule-command.ts';
export {
  BLOCKED_TERM_MAX_LENGTH,
  SETTINGS_LIMIT_RANGES,
  type SettingChange,
  type SettingsAnswer,
  type SettingsCommand,
  type SettingsEdits,
  type TenantSettingsView,
} from './settings-command.ts';
export { utcTime } from './utc-time.ts';
export {
  type Asker,
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
