export { type FailureReply, failureReply } from './failure-reply.ts';
export { type CancelOutcome, JobCanceller } from './job-canceller.ts';
export { type JobEndHandlerDeps, replyToFailedJobs } from './job-end-handler.ts';
export { JobEndings, type JobEndingsDeps } from './job-endings.ts';
export { markJobStarted } from './job-start.ts';
export { JobCancelledError, type StopReason, stopReasonOf } from './job-stop.ts';
