import type { Redis } from 'ioredis';
import type { Platform } from '../core/index.ts';

/** How long an event id is remembered: platforms redeliver within minutes (Slack retries a slow ack). */
const REMEMBER_MS = 10 * 60_000;

/**
 * Recognises redelivered platform events (a request or a button press seen before) with SET NX and
 * a TTL, so a retried event is never queued or acted on twice.
 */
export class RequestDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * True the first time this event is seen within REMEMBER_MS, false after. Requests and presses are
   * apart: a reroll's request carries its press's id.
   */
  async firstTime(platform: Platform, event: 'request' | 'press', id: string): Promise<boolean> {
    const key = `${this.prefix}:dedupe:${platform}:${event}:${id}`;
    const set = await this.redis.set(key, '1', 'PX', REMEMBER_MS, 'NX');
    return set === 'OK';
  }
}
