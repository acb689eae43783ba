import type { Queue } from 'bullmq';
import type { AdmissionLimiter, ClipCache } from '../admission/index.ts';
import type { ClipDelivery, DeliverJobData, GenerateJobData } from '../core/index.ts';

export interface JobEndingsDeps {
  limiter: AdmissionLimiter;
  cache: ClipCache;
  deliver: Queue<DeliverJobData>;
}

/** Retries of a final reply: the platform may be briefly down or rate-limiting the bot. */
const DELIVERY_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } } as const;

/**
 * Ends a generate job, however it ends: frees its limiter slots, settles its clip-cache entry and
 * queues its one final reply. Each step is idempotent (the delivery job's id is the generate job's),
 * so a worker rerun after a crash, or two processes ending the same job, still reply once.
 */
export class JobEndings {
  constructor(private readonly deps: JobEndingsDeps) {}

  async clipReady(data: GenerateJobData, delivery: ClipDelivery): Promise<void> {
    await this.queueReply(delivery);
    await this.deps.cache.finish(data.fingerprint, delivery.artifactKey);
    await this.deps.limiter.markFinished(delivery.jobId, data.tenantKey, data.userKey);
  }

  async failed(jobId: string, data: GenerateJobData, message: string): Promise<void> {
    await this.release(jobId, data);
    await this.queueReply({ outcome: 'failed', jobId, target: data.target, prompt: data.prompt, message });
  }

  async cancelled(jobId: string, data: GenerateJobData): Promise<void> {
    await this.release(jobId, data);
    await this.queueReply({ outcome: 'cancelled', jobId, target: data.target, prompt: data.prompt });
  }

  private async release(jobId: string, data: GenerateJobData): Promise<void> {
    await this.deps.cache.release(data.fingerprint, jobId);
    await this.deps.limiter.markFinished(jobId, data.tenantKey, data.userKey);
  }

  private async queueReply(data: DeliverJobData): Promise<void> {
    await this.deps.deliver.add('deliver', data, { jobId: `deliver-${data.jobId}`, ...DELIVERY_OPTIONS });
  }
}
