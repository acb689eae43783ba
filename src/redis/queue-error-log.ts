import type { Logger } from 'pino';
import { safeError } from '../logging/index.ts';
import { connectionTrouble, REDIS_DOWN_REMINDER_MS } from './connection-log.ts';

/** Anything with BullMQ's `'error'` event: a Queue, a Worker, a QueueEvents. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Gives a BullMQ Queue, Worker or QueueEvents its `'error'` listener (without one, BullMQ prints a
 * raw stack on every failed reconnect). Each line is one error, reduced by safeError; the same
 * error again within a minute is not logged again. Connection trouble goes to debug: the
 * connection's own listener (watchConnection, on every connection createRedis makes; BullMQ's
 * blocking connections are copies of those, to the same server) logs it once per outage.
 */
export function logQueueErrors(
  emitter: ErrorEmitter,
  logger: Pick<Logger, 'warn' | 'debug'>,
  source: string,
  options: { reminderMs?: number; now?: () => number } = {},
): void {
  const reminderMs = options.reminderMs ?? REDIS_DOWN_REMINDER_MS;
  const now = options.now ?? Date.now;
  const lastSeen = new Map<string, { at: number; repeats: number }>();
  emitter.on('error', (err) => {
    const error = safeError(err);
    const key = `${error.name}:${error.code ?? ''}:${error.message}`;
    const at = now();
    const seen = lastSeen.get(key);
    if (seen && at - seen.at < reminderMs) {
      seen.repeats++;
      return;
    }
    // Distinct messages could grow the map without bound (a message naming a job id, say).
    if (lastSeen.size > 100) lastSeen.clear();
    lastSeen.set(key, { at, repeats: 0 });
    const line = { source, error, ...(seen ? { repeatsSinceLastLine: seen.repeats } : {}) };
    if (connectionTrouble(error)) logger.debug(line, 'queue connection error');
    else logger.warn(line, 'queue error');
  });
}
