export { ButtonActions, type ButtonActionsDeps } from './button-actions.ts';
export { QueueService, type QueueServiceDeps } from './queue-service.ts';
export { SettingsService, type SettingsServiceDeps } from './settings-service.ts';
export { createSpineParts, type SpineParts, type SpinePartsOptions } from './spine-parts.ts';
export { VideoService, type VideoServiceDeps } from './video-service.ts';
