import type { Redis } from 'ioredis';

/** What the cache knows about a fingerprint. */
export type CacheLookup =
  | { kind: 'done'; artifactKey: string }
  | { kind: 'in-flight'; jobId: string }
  | { kind: 'miss' };

/**
 * The clip cache and in-flight join: a finished identical request answers from its stored MP4, and
 * an identical one still running is joined instead of queued twice.
 */
export class ClipCache {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly prefix = 'clipbot:clip:',
  ) {}

  async lookup(fingerprint: string): Promise<CacheLookup> {
    const [done, running] = await Promise.all([
      this.redis.get(`${this.prefix}done:${fingerprint}`),
      this.redis.get(`${this.prefix}running:${fingerprint}`),
    ]);
    if (done) return { kind: 'done', artifactKey: done };
    if (running) return { kind: 'in-flight', jobId: running };
    return { kind: 'miss' };
  }

  /**
   * Claims the fingerprint for a new job. Returns the job that owns it: `jobId` when the claim won,
   * or the id of the identical job that got there first (join it).
   */
  async claim(fingerprint: string, jobId: string, runningTtlMs: number): Promise<string> {
    const key = `${this.prefix}running:${fingerprint}`;
    const won = await this.redis.set(key, jobId, 'PX', runningTtlMs, 'NX');
    if (won === 'OK') return jobId;
    return (await this.redis.get(key)) ?? jobId;
  }

  /** Records the finished clip and ends the in-flight entry. */
  async finish(fingerprint: string, artifactKey: string): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.prefix}done:${fingerprint}`, artifactKey, 'PX', this.ttlMs)
      .del(`${this.prefix}running:${fingerprint}`)
      .exec();
  }

  /** A failed or cancelled job gives the fingerprint up, so the next identical request runs anew. */
  async release(fingerprint: string, jobId: string): Promise<void> {
    const key = `${this.prefix}running:${fingerprint}`;
    if ((await this.redis.get(key)) === jobId) await this.redis.del(key);
  }
}
