import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isRedisUnavailable } from '../../redis/index.ts';
import { sendJson } from './http-io.ts';

export const UNAVAILABLE =
  'clipbot is unavailable for a moment (its database is restarting). Please try again in a few seconds.';

/**
 * Answers a request whose route threw: 503 while Redis is down (a warning: it is not our bug),
 * else 500 with the error logged. The log names the path alone: its query may hold ?token=.
 */
export function answerFailure(
  req: IncomingMessage,
  res: ServerResponse,
  err: unknown,
  deps: { redis: Redis; logger: Logger },
): void {
  const path = (req.url ?? '').split('?')[0];
  const redisDown = deps.redis.status !== 'ready' || isRedisUnavailable(err);
  if (redisDown) deps.logger.warn({ path }, 'playground request refused: Redis is down');
  else deps.logger.error({ err, path }, 'playground request failed');
  if (res.headersSent) res.end();
  else if (redisDown) sendJson(res, 503, { error: UNAVAILABLE });
  else sendJson(res, 500, { error: 'Something went wrong on our side. Please try again.' });
}
