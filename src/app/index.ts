export { ButtonActions, type ButtonActionsDeps } from './button-actions.ts';
export { type CancelOutcome, JobCanceller } from './job-canceller.ts';
export { JobEndings, type JobEndingsDeps } from './job-endings.ts';
export { createSpineParts, type SpineParts, type SpinePartsOptions } from './spine-parts.ts';
export { VideoService, type VideoServiceDeps } from './video-service.ts';
