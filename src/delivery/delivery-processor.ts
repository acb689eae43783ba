import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../artifacts/index.ts';
import type { ChatAdapter, DeliverJobData, Platform, Reply } from '../core/index.ts';
import { replyTargets } from './deliver-queues.ts';

export interface DeliveryDeps {
  /** The platform this processor serves: it consumes that platform's deliver queue. */
  platform: Platform;
  /** What posts a final reply there (the bot passes its adapter's render, coalesced). */
  adapter: Pick<ChatAdapter, 'render'>;
  artifacts: ArtifactStore;
  redis: Redis;
  logger: Logger;
  /** How long a delivery is remembered, so a retry never posts twice. */
  rememberMs?: number;
  prefix?: string;
}

/** Thrown for deliveries that cannot succeed however often they are retried. */
export class UndeliverableError extends Error {}

/**
 * A platform's deliver queue processor, run by a bot that serves the platform: renders a job's final
 * reply (its clip, its failure or its cancellation) to every target on this platform, the requester
 * and each request that joined it, then records the delivery. A job already delivered here is
 * skipped, so BullMQ's retries and a worker's rerun after a crash post once. (A crash between posting
 * and recording can still post twice: at least once, by design, rather than never.)
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  const prefix = deps.prefix ?? 'clipbot';
  return async (job: Job<DeliverJobData>): Promise<'delivered' | 'already-delivered'> => {
    const data = job.data;
    const doneKey = `${prefix}:delivered:${data.jobId}:${deps.platform}`;
    if (await deps.redis.exists(doneKey)) return 'already-delivered';
    const everyone = await replyTargets(deps.redis, prefix, data);
    const targets = everyone.filter((t) => t.platform === deps.platform);
    if (targets.length > 0) {
      const reply = await finalReply(data, deps.artifacts);
      for (const target of targets) await deps.adapter.render(target, reply);
    }
    await deps.redis.set(doneKey, job.id ?? '1', 'PX', deps.rememberMs ?? 7 * 24 * 3_600_000);
    deps.logger.info(
      { jobId: data.jobId, platform: deps.platform, outcome: data.outcome, targets: targets.length },
      'final reply delivered',
    );
    return 'delivered';
  };
}

async function finalReply(data: DeliverJobData, artifacts: ArtifactStore): Promise<Reply> {
  switch (data.outcome) {
    case 'failed':
      return { kind: 'failed', jobId: data.jobId, message: data.message };
    case 'cancelled':
      return { kind: 'cancelled', jobId: data.jobId };
    case 'clip': {
      const bytes = await artifacts.get(data.artifactKey);
      if (!bytes) throw new UndeliverableError(`clip ${data.artifactKey} expired before it was delivered`);
      return {
        kind: 'done',
        jobId: data.jobId,
        prompt: data.prompt,
        clip: {
          bytes,
          fileName: data.fileName,
          seed: data.seed,
          tier: data.tier,
          ...(data.fallback ? { fallback: data.fallback } : {}),
          elapsedMs: data.elapsedMs,
        },
      };
    }
  }
}
