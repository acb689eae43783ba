export { CancelRequests } from './cancel-requests.ts';
export { FairOrder } from './fair-order.ts';
export { addFairJob, type FairJobData } from './fair-queue.ts';
export {
  DEFAULT_JOB_RETENTION,
  type JobRetention,
  type KeepFinished,
  retentionOptions,
} from './job-retention.ts';
export { type QueuePosition, queuePosition } from './queue-position.ts';
export { RunTimeAverage } from './run-time-average.ts';
export { HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, WorkerHeartbeats } from './worker-heartbeats.ts';
