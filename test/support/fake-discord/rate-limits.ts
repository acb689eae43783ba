import { createHash } from 'node:crypto';

interface Window {
  startedAt: number;
  used: number;
}

/** What one request may do under its bucket, and the X-RateLimit-* headers that say so. */
export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterS: number;
}

/**
 * Fixed-window buckets, one per route and major parameter (channel, guild, webhook + token), as
 * discord-api-docs "Rate Limits" describe; every response carries the X-RateLimit-* headers, so a
 * client that reads them never meets the 429 this answers when a bucket is overdrawn.
 */
export class RateLimits {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(route: string, majorParameter: string): RateLimitVerdict {
    const now = Date.now();
    const key = `${route} ${majorParameter}`;
    let window = this.#windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, used: 0 };
      this.#windows.set(key, window);
    }
    window.used += 1;
    const resetAt = window.startedAt + this.windowMs;
    const resetAfterS = Math.max(0, resetAt - now) / 1000;
    const allowed = window.used <= this.limit;
    return {
      allowed,
      retryAfterS: resetAfterS,
      headers: {
        'X-RateLimit-Limit': String(this.limit),
        'X-RateLimit-Remaining': String(Math.max(0, this.limit - window.used)),
        'X-RateLimit-Reset': (resetAt / 1000).toFixed(3),
        'X-RateLimit-Reset-After': resetAfterS.toFixed(3),
        'X-RateLimit-Bucket': createHash('sha1').update(route).digest('hex').slice(0, 32),
      },
    };
  }
}
