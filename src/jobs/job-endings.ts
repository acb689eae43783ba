import type { Redis } from 'ioredis';
import type { AdmissionLimiter, ClipCache } from '../admission/index.ts';
import type { ClipDelivery, DeliverJobData, GenerateJobData } from '../core/index.ts';
import { type DeliverQueues, replyTargets } from '../delivery/index.ts';

export interface JobEndingsDeps {
  limiter: AdmissionLimiter;
  cache: ClipCache;
  deliver: DeliverQueues;
  redis: Redis;
  prefix: string;
}

/** Retries of a final reply: the platform may be briefly down or rate-limiting the bot. */
const DELIVERY_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } } as const;

/**
 * Ends a generate job, however it ends: frees its limiter slots, settles its clip-cache entry and
 * queues its one final reply on each platform that waits for it (the requester's, and those of the
 * requests that joined it). Each step is idempotent (a delivery job's id is the generate job's), so
 * a worker rerun after a crash, or two processes ending the same job, still reply once.
 */
export class JobEndings {
  constructor(private readonly deps: JobEndingsDeps) {}

  async clipReady(data: GenerateJobData, delivery: ClipDelivery): Promise<void> {
    // Finished in the cache first: from then on identical requests get the clip instead of joining,
    // so the joined targets read next are complete.
    await this.deps.cache.finish(data.fingerprint, {
      jobId: delivery.jobId,
      artifactKey: delivery.artifactKey,
      tier: delivery.tier,
      ...(delivery.fallback ? { fallback: delivery.fallback } : {}),
    });
    await this.queueReply(delivery);
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
    const targets = await replyTargets(this.deps.redis, this.deps.prefix, data);
    for (const platform of new Set(targets.map((t) => t.platform))) {
      const queue = this.deps.deliver.get(platform);
      if (!queue) throw new Error(`no deliver queue for ${platform}`);
      await queue.add('deliver', data, { jobId: `deliver-${data.jobId}`, ...DELIVERY_OPTIONS });
    }
  }
}
