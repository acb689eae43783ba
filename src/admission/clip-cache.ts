import type { Redis } from 'ioredis';

/** A finished clip the cache can answer with. */
export interface CachedClip {
  /** The job that made it. */
  jobId: string;
  artifactKey: string;
  /** The tier it was rendered at, and why when below the asked one. */
  tier: string;
  fallback?: { from: string; reason: string };
}

/** What the cache knows about a fingerprint. */
export type CacheLookup =
  | { kind: 'done'; clip: CachedClip }
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
    const clip = done ? parseCachedClip(done) : undefined;
    if (clip) return { kind: 'done', clip };
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
  async finish(fingerprint: string, clip: CachedClip): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.prefix}done:${fingerprint}`, JSON.stringify(clip), 'PX', this.ttlMs)
      .del(`${this.prefix}running:${fingerprint}`)
      .exec();
  }

  /** A failed or cancelled job gives the fingerprint up, so the next identical request runs anew. */
  async release(fingerprint: string, jobId: string): Promise<void> {
    const key = `${this.prefix}running:${fingerprint}`;
    if ((await this.redis.get(key)) === jobId) await this.redis.del(key);
  }
}

function parseCachedClip(json: string): CachedClip | undefined {
  try {
    const clip = JSON.parse(json) as Partial<CachedClip>;
    return typeof clip.artifactKey === 'string' &&
      typeof clip.jobId === 'string' &&
      typeof clip.tier === 'string'
      ? (clip as CachedClip)
      : undefined;
  } catch {
    return undefined; // an entry from before clips carried their tier: made again
  }
}
