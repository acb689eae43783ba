import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger } from '../logging/index.ts';
import { watchConnection } from './connection-log.ts';

/**
 * What a connection is for. `worker`: BullMQ workers and other blocking consumers, which must wait
 * out a Redis outage. `producer`: request paths (admission, enqueue), which must fail fast so the
 * user gets an answer instead of a hung reply.
 */
export type RedisRole = 'worker' | 'producer';

/** Options for {@link createRedis}. */
export interface CreateRedisOptions {
  role: RedisRole;
  /** Where connection errors go; default: a fresh root logger. */
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/**
 * BullMQ's production settings per role. Workers: `maxRetriesPerRequest: null` (BullMQ requires it
 * for blocking commands; they reconnect for ever). Producers: no offline queue and one retry, so a
 * command while Redis is down fails at once; wait for `'ready'` before the first command.
 */
const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 },
};

/**
 * An ioredis client for `url` with the settings for its role and an `'error'` listener (without one,
 * ioredis prints every reconnect failure as an unhandled error event) that logs once per change of
 * state, with no stack and no command arguments (see watchConnection).
 */
export function createRedis(url: string, options: CreateRedisOptions): Redis {
  const redis = new Redis(url, { ...ROLE_OPTIONS[options.role], connectionName: `clipbot-${options.role}` });
  watchConnection(redis, options.logger ?? createLogger(), { fields: { role: options.role } });
  return redis;
}
