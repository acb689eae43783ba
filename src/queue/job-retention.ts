import type { KeepJobs } from 'bullmq';

/** How many finished jobs of one kind a queue keeps, and for how long. */
export interface KeepFinished {
  /** A finished job older than this is removed (ms; BullMQ counts whole seconds). */
  ageMs: number;
  /** At most this many are kept, the newest. */
  count: number;
}

/**
 * How long BullMQ keeps the generate and deliver jobs that ended: long enough to look at them in the
 * dashboard, never for ever. Redis runs with `maxmemory-policy noeviction` (BullMQ needs it), so
 * bounds like this one are what keeps its memory bounded.
 */
export interface JobRetention {
  completed: KeepFinished;
  failed: KeepFinished;
}

/** Completed jobs for an hour and at most 1,000; failed ones for a day and at most 5,000. */
export const DEFAULT_JOB_RETENTION: Readonly<JobRetention> = Object.freeze({
  completed: { ageMs: 3_600_000, count: 1_000 },
  failed: { ageMs: 24 * 3_600_000, count: 5_000 },
});

function keep(finished: KeepFinished): KeepJobs {
  return { age: Math.max(1, Math.ceil(finished.ageMs / 1_000)), count: finished.count };
}

/**
 * The job options that apply `retention` (a queue's `defaultJobOptions`). BullMQ removes expired
 * jobs whenever another job of the same queue finishes the same way: without a timer, so at most
 * `count` of them, however old, outlive the last job.
 */
export function retentionOptions(retention: JobRetention): {
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
} {
  return { removeOnComplete: keep(retention.completed), removeOnFail: keep(retention.failed) };
}
