import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { GenerateJobData } from '../core/index.ts';
import type { CancelRequests } from '../queue/index.ts';
import { failureReply } from './failure-reply.ts';
import type { JobEndings } from './job-endings.ts';
import { JobCancelledError } from './job-stop.ts';

export interface JobEndHandlerDeps {
  endings: JobEndings;
  cancels: CancelRequests;
  logger: Logger;
  /** Called once per job that ended without a clip, with the reason's code (metrics). */
  onEnded?: (code: string) => void;
}

/**
 * Gives every generate job that ends without a clip its final reply: cancelled, or failed with a
 * message the user can act on. Runs on the worker's 'failed' event, which fires for each failed
 * attempt and for jobs that stalled too often (their worker was killed), so it acts only once the
 * job's state is final.
 */
export function replyToFailedJobs(worker: Worker<GenerateJobData>, deps: JobEndHandlerDeps): void {
  worker.on('failed', (job, error) => {
    if (job) void end(job, error);
  });

  async function end(job: Job<GenerateJobData>, error: Error): Promise<void> {
    const jobId = job.id as string;
    const log = deps.logger.child({ jobId, tenant: job.data.tenantKey });
    try {
      if ((await job.getState()) !== 'failed') return; // BullMQ retries it
      if (error instanceof JobCancelledError || (await deps.cancels.isRequested(jobId))) {
        await deps.endings.cancelled(jobId, job.data);
        log.info('job cancelled');
        deps.onEnded?.('CANCELLED');
        return;
      }
      const reply = failureReply(error);
      await deps.endings.failed(jobId, job.data, reply.message);
      log.warn({ code: reply.code, err: error.message, attempts: job.attemptsMade }, 'job failed');
      deps.onEnded?.(reply.code);
    } catch (err) {
      log.error({ err }, 'could not send the final reply of a failed job');
    }
  }
}
