import type { Queue } from 'bullmq';
import type { GenerateJobData } from '../core/index.ts';
import type { CancelRequests } from '../queue/index.ts';
import type { JobEndings } from './job-endings.ts';

/** What a cancel request did. */
export type CancelOutcome =
  /** The job was waiting: it is gone, its slots are free and its requester was told. */
  | 'cancelled'
  /** The job is running: its worker stops it within one step and then tells its requester. */
  | 'stopping'
  | 'not-found'
  | 'already-finished'
  /** Only the person who asked for a video may cancel it. */
  | 'not-owner';

const WAITING = new Set(['waiting', 'prioritized', 'delayed']);

/**
 * Cancels generate jobs for the bot: a waiting job is removed at once; a running one is signalled to
 * its worker (see CancelRequests), which frees the GPU for the next job.
 */
export class JobCanceller {
  constructor(
    private readonly parts: {
      generate: Queue<GenerateJobData>;
      cancels: CancelRequests;
      endings: JobEndings;
    },
  ) {}

  async cancel(jobId: string, byUserKey: string): Promise<CancelOutcome> {
    const job = await this.parts.generate.getJob(jobId);
    if (!job) return 'not-found';
    if (job.data.userKey !== byUserKey) return 'not-owner';
    const state = await job.getState();
    if (WAITING.has(state)) {
      try {
        await job.remove();
        await this.parts.endings.cancelled(jobId, job.data);
        return 'cancelled';
      } catch {
        // A worker took it between the two reads (a locked job cannot be removed): stop it instead.
      }
    } else if (state !== 'active') {
      return 'already-finished';
    }
    await this.parts.cancels.request(jobId);
    return 'stopping';
  }
}
