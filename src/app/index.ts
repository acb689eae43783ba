export { ButtonActions, type ButtonActionsDeps } from './button-actions.ts';
export { createSpineParts, type SpineParts, type SpinePartsOptions } from './spine-parts.ts';
export { VideoService, type VideoServiceDeps } from './video-service.ts';
