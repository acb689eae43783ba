import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type DeliverJobData, PLATFORMS, type Platform, type ReplyTarget } from '../core/index.ts';
import { DEFAULT_JOB_RETENTION, type JobRetention, retentionOptions } from '../queue/index.ts';
import { logQueueErrors } from '../redis/index.ts';

/** One "deliver" queue per platform, so a bot process takes only the replies it can post. */
export type DeliverQueues = ReadonlyMap<Platform, Queue<DeliverJobData>>;

export function deliverQueueName(platform: Platform): string {
  return `deliver-${platform}`;
}

/** Options for {@link createDeliverQueues}. */
export interface DeliverQueuesOptions {
  /** Where the queues' errors go (one line each, see logQueueErrors). */
  logger: Pick<Logger, 'warn' | 'debug'>;
  /** How long delivered and failed deliveries are kept; default DEFAULT_JOB_RETENTION. */
  retention?: JobRetention;
}

export function createDeliverQueues(
  connection: Redis,
  prefix: string,
  options: DeliverQueuesOptions,
): DeliverQueues {
  const defaultJobOptions = retentionOptions(options.retention ?? DEFAULT_JOB_RETENTION);
  return new Map(
    PLATFORMS.map((platform) => {
      const name = deliverQueueName(platform);
      const queue = new Queue<DeliverJobData>(name, { connection, prefix, defaultJobOptions });
      logQueueErrors(queue, options.logger, `queue ${name}`);
      return [platform, queue];
    }),
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
