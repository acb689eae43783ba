export { ButtonActions, type ButtonActionsDeps } from './button-actions.ts';
export { QueueService, type QueueServiceDeps } from './queue-service.ts';
export { createScheduleProcessor, type ScheduleRunOutcome, type ScheduleRunsDeps } from './schedule-runs.ts';
export { ScheduleService, type ScheduleServiceDeps } from './schedule-service.ts';
export { SettingsService, type SettingsServiceDeps } from './settings-service.ts';
export { createSpineParts, type SpineParts, type SpinePartsOptions } from './spine-parts.ts';
export { TeaserService, type TeaserServiceDeps } from './teaser-service.ts';
export { VideoService, type VideoServiceDeps } from './video-service.ts';
