import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../artifacts/index.ts';
import type { ChatAdapter, DeliverJobData, Platform, Reply, ReplyTarget } from '../core/index.ts';

export interface DeliveryDeps {
  /** What posts a final reply on each platform (the bot passes its adapters' render, coalesced). */
  adapters: ReadonlyMap<Platform, Pick<ChatAdapter, 'render'>>;
  artifacts: ArtifactStore;
  redis: Redis;
  logger: Logger;
  /** How long a delivery is remembered, so a retry never posts twice. */
  rememberMs?: number;
  prefix?: string;
}

/** Where requests that joined an identical job in flight wait for its clip. */
export function joinedTargetsKey(prefix: string, jobId: string): string {
  return `${prefix}:joined:${jobId}`;
}

/** Thrown for deliveries that cannot succeed however often they are retried. */
export class UndeliverableError extends Error {}

/**
 * The "deliver" queue's processor, run by the bot: renders a job's final reply (its clip, its failure
 * or its cancellation) to the requester and every request that joined it, through
 * the platform's adapter, then records the delivery. A job that was already delivered is skipped, so
 * BullMQ's retries and a worker's rerun after a crash post once. (A crash between posting and
 * recording can still post twice: at least once, by design, rather than never.)
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  const prefix = deps.prefix ?? 'clipbot';
  return async (job: Job<DeliverJobData>): Promise<'delivered' | 'already-delivered'> => {
    const data = job.data;
    const doneKey = `${prefix}:delivered:${data.jobId}`;
    if (await deps.redis.exists(doneKey)) return 'already-delivered';
    const adapter = deps.adapters.get(data.target.platform);
    if (!adapter) throw new UndeliverableError(`no ${data.target.platform} adapter in this bot process`);
    const reply = await finalReply(data, deps.artifacts);
    const joined = await deps.redis.lrange(joinedTargetsKey(prefix, data.jobId), 0, -1);
    const targets = [data.target, ...joined.map((t) => JSON.parse(t) as ReplyTarget)];
    for (const target of targets) {
      const forTarget = deps.adapters.get(target.platform) ?? adapter;
      await forTarget.render(target, reply);
    }
    await deps.redis.set(doneKey, job.id ?? '1', 'PX', deps.rememberMs ?? 7 * 24 * 3_600_000);
    deps.logger.info(
      { jobId: data.jobId, platform: data.target.platform, outcome: data.outcome, targets: targets.length },
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
