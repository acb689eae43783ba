import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DeliverJobData, PLATFORMS, type Platform, type ReplyTarget } from '../core/index.ts';

/** One "deliver" queue per platform, so a bot process takes only the replies it can post. */
export type DeliverQueues = ReadonlyMap<Platform, Queue<DeliverJobData>>;

export function deliverQueueName(platform: Platform): string {
  return `deliver-${platform}`;
}

export function createDeliverQueues(connection: Redis, prefix: string): DeliverQueues {
  return new Map(
    PLATFORMS.map((platform) => [
      platform,
      new Queue<DeliverJobData>(deliverQueueName(platform), { connection, prefix }),
    ]),
  );
}

/** Where requests that joined an identical job in flight wait for its clip. */
export function joinedTargetsKey(prefix: string, jobId: string): string {
  return `${prefix}:joined:${jobId}`;
}

/** The job's requester and every request that joined it, in the order they came. */
export async function replyTargets(
  redis: Redis,
  prefix: string,
  data: DeliverJobData,
): Promise<ReplyTarget[]> {
  const joined = await redis.lrange(joinedTargetsKey(prefix, data.jobId), 0, -1);
  return [data.target, ...joined.map((t) => JSON.parse(t) as ReplyTarget)];
}
