import { type Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../artifacts/index.ts';
import type { DeliverJobData, FinalReply, Platform, ReplyTarget } from '../core/index.ts';
import { replyTargets } from './deliver-queues.ts';

export interface DeliveryDeps {
  /** The platform this processor serves: it consumes that platform's deliver queue. */
  platform: Platform;
  /**
   * Shows a final reply in one target's message, once: a target whose final state was already shown
   * (an earlier attempt, or a rerun after a crash) is skipped (the bot passes its ReplyDesk).
   */
  show: (target: ReplyTarget, reply: FinalReply) => Promise<unknown>;
  artifacts: ArtifactStore;
  redis: Redis;
  logger: Logger;
  prefix?: string;
}

/**
 * A platform's deliver queue processor, run by a bot that serves the platform: renders a job's final
 * reply (its clip, its failure or its cancellation) to every target on this platform, the requester
 * and each request that joined it. Each target is marked when its final state is shown, so BullMQ's
 * retries after a failure on the second target never post to the first again. (A crash between
 * posting and marking can still post twice: at least once, by design, rather than never.) A clip
 * that expired before it could be delivered fails at once, without retries.
 */
export function createDeliveryProcessor(deps: DeliveryDeps) {
  const prefix = deps.prefix ?? 'clipbot';
  return async (job: Job<DeliverJobData>): Promise<number> => {
    const data = job.data;
    const everyone = await replyTargets(deps.redis, prefix, data);
    const targets = everyone.filter((t) => t.platform === deps.platform);
    if (targets.length > 0) {
      const reply = await finalReply(data, deps.artifacts);
      for (const target of targets) await deps.show(target, reply);
    }
    deps.logger.info(
      { jobId: data.jobId, platform: deps.platform, outcome: data.outcome, targets: targets.length },
      'final reply delivered',
    );
    return targets.length;
  };
}

async function finalReply(data: DeliverJobData, artifacts: ArtifactStore): Promise<FinalReply> {
  switch (data.outcome) {
    case 'failed':
      return { kind: 'failed', jobId: data.jobId, message: data.message };
    case 'cancelled':
      return { kind: 'cancelled', jobId: data.jobId };
    case 'clip': {
      const bytes = await artifacts.get(data.artifactKey);
      if (!bytes) throw new UnrecoverableError(`clip ${data.artifactKey} expired before it was delivered`);
      return {
        kind: 'done',
        jobId: data.jobId,
        prompt: data.prompt,
        clip: {
          bytes,
          artifactKey: data.artifactKey,
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
