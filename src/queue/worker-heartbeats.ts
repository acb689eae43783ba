import type { Redis } from 'ioredis';

/** A worker that has not beaten for this long counts as gone. */
export const HEARTBEAT_TTL_MS = 6_000;
/** How often a worker beats. */
export const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Which workers are alive, shared through Redis: each worker beats every few seconds (a sorted set
 * scored by the time of its last beat), and the bot counts those seen lately, so it can tell users
 * that generation is down instead of queueing work nobody will run.
 */
export class WorkerHeartbeats {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async beat(workerId: string, now = Date.now()): Promise<void> {
    await this.redis
      .multi()
      .zadd(this.key, now, workerId)
      .zremrangebyscore(this.key, '-inf', now - 4 * HEARTBEAT_TTL_MS)
      .exec();
  }

  /** Beats now and every HEARTBEAT_EVERY_MS (misses while Redis is down); the result stops and leaves. */
  keepBeating(workerId: string): () => Promise<void> {
    const beat = () => this.beat(workerId).catch(() => undefined);
    void beat();
    const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      // Not worth waiting for while Redis is down: the entry ages out by itself.
      const left = this.leave(workerId).catch(() => undefined);
      await Promise.race([left, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    };
  }

  async leave(workerId: string): Promise<void> {
    await this.redis.zrem(this.key, workerId);
  }

  /** Workers that beat within the last HEARTBEAT_TTL_MS. */
  async alive(now = Date.now()): Promise<number> {
    return this.redis.zcount(this.key, now - HEARTBEAT_TTL_MS, '+inf');
  }

  private get key(): string {
    return `${this.prefix}:workers`;
  }
}
