import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A finished clip the cache can answer with. */
export interface CachedClip {
  /** The job that made it. */
  jobId: string;
  artifactKey: string;
  /** The tier it was rendered at, and why when below the asked one. */
  tier: string;
  fallback?: { from: string; reason: string };
}

/** A clip rendered ahead for a popular prompt: it answers any request of its seedless identity. */
export interface WarmClip {
  clip: CachedClip;
  /** The seed it was rendered with: the requester's reply and buttons carry it. */
  seed: number;
  /** Its MP4's size: it answers only requesters whose upload limit it fits. */
  bytes: number;
}

const warmClipSchema = z.object({
  clip: z.object({
    jobId: z.string(),
    artifactKey: z.string(),
    tier: z.string(),
    fallback: z.object({ from: z.string(), reason: z.string() }).optional(),
  }),
  seed: z.number().int(),
  bytes: z.number().int(),
});

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
  /** Clips rendered ahead for popular prompts, answering requests that name no seed. */
  readonly warm: WarmClips;

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly prefix = 'clipbot:clip:',
  ) {
    this.warm = new WarmClips(redis, ttlMs, prefix);
  }

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

/**
 * The warm cache's entries, beside the clip cache's: a seedless fingerprint (see
 * `seedlessFingerprint`) points at a clip rendered ahead, and a short lock keeps two workers from
 * rendering the same one.
 */
export class WarmClips {
  constructor(
    private readonly redis: Redis,
    /** How long a warm clip answers (the artifact store keeps its bytes as long). */
    readonly ttlMs: number,
    private readonly prefix: string,
  ) {}

  /** The warm clip for this seedless identity that fits the upload limit, if any. */
  async lookup(seedless: string, uploadLimitBytes: number): Promise<WarmClip | undefined> {
    const json = await this.redis.get(this.key('warm', seedless));
    if (!json) return undefined;
    const parsed = warmClipSchema.safeParse(safeJson(json));
    if (!parsed.success || parsed.data.bytes > uploadLimitBytes) return undefined;
    const { fallback, ...clip } = parsed.data.clip;
    return { ...parsed.data, clip: fallback ? { ...clip, fallback } : clip };
  }

  /** Milliseconds until the warm clip stops answering; 0 when there is none. */
  async timeLeftMs(seedless: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key('warm', seedless)));
  }

  /** Records a warm clip, and the same clip under its full fingerprint (a request naming its seed). */
  async finish(seedless: string, fingerprint: string, warm: WarmClip): Promise<void> {
    await this.redis
      .multi()
      .set(this.key('warm', seedless), JSON.stringify(warm), 'PX', this.ttlMs)
      .set(this.key('done', fingerprint), JSON.stringify(warm.clip), 'PX', this.ttlMs)
      .exec();
  }

  /** Takes the right to render this warm clip for `ms`; false when another worker holds it. */
  async claim(seedless: string, owner: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.key('warm-lock', seedless), owner, 'PX', ms, 'NX')) === 'OK';
  }

  async release(seedless: string, owner: string): Promise<void> {
    const key = this.key('warm-lock', seedless);
    if ((await this.redis.get(key)) === owner) await this.redis.del(key);
  }

  private key(kind: 'warm' | 'warm-lock' | 'done', fingerprint: string): string {
    return `${this.prefix}${kind}:${fingerprint}`;
  }
}

function safeJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
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
