import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdmissionLimiter,
  type AdmissionLimits,
  DEFAULT_ADMISSION_LIMITS,
  formatRetryTime,
  type LimitDecision,
} from '../../src/admission/rate-limits/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { createRedis, type LocalRedis, startLocalRedis } from '../../src/redis/index.ts';

const silent = createLogger({ level: 'silent' });
/** 13:05 UTC: with 30 clips an hour, one token comes back every 2 minutes. */
const NOW = Date.UTC(2026, 0, 15, 13, 5);
const MINUTE = 60_000;

let dataDir: string;
let server: LocalRedis;
let redis: Redis;
let prefix: string;

async function connect(): Promise<Redis> {
  const client = createRedis(server.url, { role: 'producer', logger: silent });
  await once(client, 'ready');
  return client;
}

function limiterWith(limits: Partial<AdmissionLimits> = {}, client: Redis = redis): AdmissionLimiter {
  return new AdmissionLimiter(client, { ...DEFAULT_ADMISSION_LIMITS, ...limits }, prefix);
}

const admitted: LimitDecision = { admitted: true };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clipbot-limits-'));
  server = await startLocalRedis({ dataDir, logger: silent });
  redis = await connect();
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
});

afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

describe('AdmissionLimiter', () => {
  it("refuses a tenant's 31st clip within the hour, naming the limit and the exact time one is back", async () => {
    const limiter = limiterWith();
    for (let i = 1; i <= 30; i++) {
      const job = { tenantId: 'guild', userId: `user-${i}`, jobId: `job-${i}`, now: NOW };
      expect(await limiter.admit(job)).toEqual(admitted);
      await limiter.markFinished(job.jobId, job.tenantId, job.userId);
    }
    const request = { tenantId: 'guild', userId: 'user-31', jobId: 'job-31' };
    expect(await limiter.admit({ ...request, now: NOW })).toEqual({
      admitted: false,
      reason: 'tenant-rate-limit',
      retryAt: NOW + 2 * MINUTE,
      message: 'Everyone here together has used the 30 clips allowed for this hour. Try again at 13:07 UTC.',
    });
    expect(await limiter.admit({ ...request, now: NOW + 2 * MINUTE - 1 })).toMatchObject({ admitted: false });
    expect(await limiter.admit({ ...request, now: NOW + 2 * MINUTE })).toEqual(admitted);
  });

  it("refuses a user's 7th clip within the hour, at the time their next token is back", async () => {
    const limiter = limiterWith();
    for (let i = 1; i <= 6; i++) {
      expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: `job-${i}`, now: NOW })).toEqual(
        admitted,
      );
      await limiter.markFinished(`job-${i}`, 'guild', 'ana');
    }
    expect(await limiter.admit({ tenantId: 'other-guild', userId: 'ana', jobId: 'job-7', now: NOW })).toEqual(
      {
        admitted: false,
        reason: 'user-rate-limit',
        retryAt: NOW + 10 * MINUTE,
        message: 'You have used your 6 clips for this hour. Try again at 13:15 UTC.',
      },
    );
  });

  it("refuses a user's second job while the first is queued or running, taking no tenant token", async () => {
    const limiter = limiterWith({ tenantClips: 2 });
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    expect(
      await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a2', now: NOW, busyRetryMs: 90_000 }),
    ).toEqual({
      admitted: false,
      reason: 'user-busy',
      retryAt: NOW + 90_000,
      message: 'You already have a clip in the queue, and it is one at a time. Try again at 13:07 UTC.',
    });
    // The refusal took nothing: the tenant's second token is still there for someone else.
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ben', jobId: 'b1', now: NOW })).toEqual(
      admitted,
    );
    expect(await limiter.admit({ tenantId: 'guild', userId: 'cy', jobId: 'c1', now: NOW })).toMatchObject({
      reason: 'tenant-rate-limit',
    });
  });

  it("refuses a tenant's 11th waiting job until one of them starts", async () => {
    const limiter = limiterWith();
    for (let i = 1; i <= 10; i++) {
      expect(await limiter.admit({ tenantId: 'guild', userId: `u${i}`, jobId: `j${i}`, now: NOW })).toEqual(
        admitted,
      );
    }
    expect(await limiter.waitingCount('guild', NOW)).toBe(10);
    const eleventh = { tenantId: 'guild', userId: 'u11', jobId: 'j11', now: NOW, busyRetryMs: 45_000 };
    expect(await limiter.admit(eleventh)).toEqual({
      admitted: false,
      reason: 'tenant-queue-full',
      retryAt: NOW + 45_000,
      message:
        '10 clips from here are already waiting in the queue, the most at a time. Try again at 13:06 UTC.',
    });
    await limiter.markStarted('j1', 'guild');
    expect(await limiter.admit(eleventh)).toEqual(admitted);
  });

  it('refuses the job past the global waiting cap, whichever tenant asks', async () => {
    const limiter = limiterWith();
    for (let i = 0; i < 100; i++) {
      const job = { tenantId: `guild-${i % 10}`, userId: `u${i}`, jobId: `j${i}`, now: NOW };
      expect(await limiter.admit(job)).toEqual(admitted);
    }
    expect(await limiter.admit({ tenantId: 'new-guild', userId: 'u100', jobId: 'j100', now: NOW })).toEqual({
      admitted: false,
      reason: 'queue-full',
      retryAt: NOW + DEFAULT_ADMISSION_LIMITS.busyRetryMs,
      message: 'The queue is full (100 clips waiting). Try again at 13:06 UTC.',
    });
    await limiter.markFinished('j0', 'guild-0', 'u0');
    expect(await limiter.admit({ tenantId: 'new-guild', userId: 'u100', jobId: 'j100', now: NOW })).toEqual(
      admitted,
    );
  });

  it("when the tenant refuses, then the user's token is not taken either", async () => {
    const limiter = limiterWith({ tenantClips: 1, userClips: 1 });
    expect(await limiter.admit({ tenantId: 'busy-guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    expect(
      await limiter.admit({ tenantId: 'busy-guild', userId: 'ben', jobId: 'b1', now: NOW }),
    ).toMatchObject({
      reason: 'tenant-rate-limit',
    });
    expect(await limiter.admit({ tenantId: 'quiet-guild', userId: 'ben', jobId: 'b2', now: NOW })).toEqual(
      admitted,
    );
  });

  it('when several limits refuse, then the first in check order is named and the latest retry time given', async () => {
    const limiter = limiterWith({ tenantClips: 1 });
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    const second = await limiter.admit({
      tenantId: 'guild',
      userId: 'ana',
      jobId: 'a2',
      now: NOW,
      busyRetryMs: 1_000,
    });
    // Busy frees in a second, but the tenant's single clip an hour is back only in an hour.
    expect(second).toMatchObject({ admitted: false, reason: 'user-busy', retryAt: NOW + 60 * MINUTE });
  });

  it('refills tokens continuously, one every interval / capacity', async () => {
    const limiter = limiterWith();
    for (let i = 0; i < 30; i++) {
      await limiter.admit({ tenantId: 'guild', userId: `u${i}`, jobId: `j${i}`, now: NOW });
      await limiter.markFinished(`j${i}`, 'guild', `u${i}`);
    }
    const at = (now: number, jobId: string) =>
      limiter.admit({ tenantId: 'guild', userId: jobId, jobId, now });
    // Half a token after one minute: still refused, with the same retry time.
    expect(await at(NOW + MINUTE, 'x1')).toMatchObject({
      reason: 'tenant-rate-limit',
      retryAt: NOW + 2 * MINUTE,
    });
    expect(await at(NOW + 2 * MINUTE, 'x1')).toEqual(admitted);
    expect(await at(NOW + 2 * MINUTE, 'x2')).toMatchObject({ retryAt: NOW + 4 * MINUTE });
    // Five tokens back after ten more minutes.
    await limiter.markFinished('x1', 'guild', 'x1');
    for (let i = 0; i < 5; i++) {
      expect(await at(NOW + 12 * MINUTE, `y${i}`)).toEqual(admitted);
    }
    expect(await at(NOW + 12 * MINUTE, 'y5')).toMatchObject({ reason: 'tenant-rate-limit' });
  });

  it('admits the same job id twice as one admission, taking one token', async () => {
    const limiter = limiterWith({ tenantClips: 2 });
    const job = { tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW };
    expect(await limiter.admit(job)).toEqual(admitted);
    expect(await limiter.admit(job)).toEqual(admitted);
    expect(await limiter.waitingCount('guild', NOW)).toBe(1);
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ben', jobId: 'b1', now: NOW })).toEqual(
      admitted,
    );
    expect(await limiter.admit({ tenantId: 'guild', userId: 'cy', jobId: 'c1', now: NOW })).toMatchObject({
      reason: 'tenant-rate-limit',
    });
  });

  it('markStarted frees the waiting slots and markFinished the user slot, each safe to repeat', async () => {
    const limiter = limiterWith({ maxWaitingPerTenant: 1 });
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    await limiter.markStarted('a1', 'guild');
    await limiter.markStarted('a1', 'guild');
    expect(await limiter.waitingCount('guild', NOW)).toBe(0);
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ben', jobId: 'b1', now: NOW })).toEqual(
      admitted,
    );
    await limiter.markStarted('b1', 'guild');
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a2', now: NOW })).toMatchObject({
      reason: 'user-busy',
    });
    await limiter.markFinished('a1', 'guild', 'ana');
    await limiter.markFinished('a1', 'guild', 'ana');
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a2', now: NOW })).toEqual(
      admitted,
    );
  });

  it('when a job id outlives keyTtlMs without markFinished, then its slots are freed as leaked', async () => {
    const limiter = limiterWith();
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    const later = NOW + DEFAULT_ADMISSION_LIMITS.keyTtlMs + 1;
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a2', now: later })).toEqual(
      admitted,
    );
    expect(await limiter.waitingCount('guild', later)).toBe(1);
  });

  it("applies a tenant's own limits passed with the call", async () => {
    const limiter = limiterWith();
    const limits = { tenantClips: 2 };
    for (const user of ['ana', 'ben']) {
      expect(await limiter.admit({ tenantId: 'small', userId: user, jobId: user, now: NOW, limits })).toEqual(
        admitted,
      );
    }
    expect(
      await limiter.admit({ tenantId: 'small', userId: 'cy', jobId: 'cy', now: NOW, limits }),
    ).toMatchObject({
      reason: 'tenant-rate-limit',
      retryAt: NOW + 30 * MINUTE,
      message: 'Everyone here together has used the 2 clips allowed for this hour. Try again at 13:35 UTC.',
    });
    await expect(
      limiter.admit({ tenantId: 'small', userId: 'cy', jobId: 'cy', limits: { tenantClips: 0 } }),
    ).rejects.toThrow(/tenantClips/);
  });

  it('when 50 admits for one tenant race from several connections, then exactly 30 get in', async () => {
    const clients = await Promise.all([connect(), connect(), connect(), connect(), connect()]);
    try {
      const limits = { maxWaitingPerTenant: 1_000, maxWaitingGlobal: 1_000 };
      const limiters = clients.map((client) => limiterWith(limits, client));
      const decisions = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          limiters[i % limiters.length]?.admit({
            tenantId: 'guild',
            userId: `u${i}`,
            jobId: `j${i}`,
            now: NOW,
          }),
        ),
      );
      expect(decisions.filter((decision) => decision?.admitted)).toHaveLength(30);
      expect(
        decisions.filter(
          (decision) => decision?.admitted === false && decision.reason === 'tenant-rate-limit',
        ),
      ).toHaveLength(20);
      expect(await limiterWith(limits).waitingCount('guild', NOW)).toBe(30);
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});

describe('AdmissionLimiter.share: a clip made for an identical request', () => {
  it('costs a quarter of a clip by default: a user with 6 clips an hour shares 24, and the 25th is refused until a quarter is back', async () => {
    const limiter = limiterWith();
    for (let i = 1; i <= 24; i++) {
      expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toEqual(admitted);
    }
    // One token is back every 10 minutes, a quarter of one every 2.5 minutes.
    expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toEqual({
      admitted: false,
      reason: 'user-rate-limit',
      retryAt: NOW + 150_000,
      message:
        'You have used your 6 clips for this hour (4 clips that were already made count as one). ' +
        'Try again at 13:08 UTC.',
    });
    expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW + 150_000 })).toEqual(admitted);
  });

  it('draws on the same buckets as new clips: after 5 clips a user has 4 shares left, then new clips are refused too', async () => {
    const limiter = limiterWith();
    for (let i = 1; i <= 5; i++) {
      await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: `a${i}`, now: NOW });
      await limiter.markFinished(`a${i}`, 'guild', 'ana');
    }
    for (let i = 1; i <= 4; i++) {
      expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toEqual(admitted);
    }
    expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toMatchObject({
      reason: 'user-rate-limit',
    });
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a6', now: NOW })).toMatchObject({
      reason: 'user-rate-limit',
    });
  });

  it('takes no queue slot and ignores the queue caps: a user with a job queued still gets a shared clip', async () => {
    const limiter = limiterWith({ maxWaitingGlobal: 1 });
    expect(await limiter.admit({ tenantId: 'guild', userId: 'ana', jobId: 'a1', now: NOW })).toEqual(
      admitted,
    );
    expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toEqual(admitted);
    expect(await limiter.waitingCount('guild', NOW)).toBe(1);
    expect(await redis.zcard(`${prefix}:limits:user:ana:active`)).toBe(1);
  });

  it("is refused by the tenant's bucket too, naming the server's limit", async () => {
    const limiter = limiterWith({ tenantClips: 1, sharesPerClip: 2 });
    expect(await limiter.share({ tenantId: 'guild', userId: 'ana', now: NOW })).toEqual(admitted);
    expect(await limiter.share({ tenantId: 'guild', userId: 'ben', now: NOW })).toEqual(admitted);
    expect(await limiter.share({ tenantId: 'guild', userId: 'cy', now: NOW })).toEqual({
      admitted: false,
      reason: 'tenant-rate-limit',
      retryAt: NOW + 30 * MINUTE,
      message:
        'Everyone here together has used the 1 clip allowed for this hour (2 clips that were already made count as one). ' +
        'Try again at 13:35 UTC.',
    });
  });
});

describe('formatRetryTime', () => {
  it('rounds up to the minute in UTC, and adds the date when it is another day', () => {
    expect(formatRetryTime(Date.UTC(2026, 0, 15, 14, 4, 0, 1), NOW)).toBe('14:05 UTC');
    expect(formatRetryTime(Date.UTC(2026, 0, 15, 14, 5), NOW)).toBe('14:05 UTC');
    expect(formatRetryTime(Date.UTC(2026, 0, 16, 9, 0), NOW)).toBe('09:00 UTC on 2026-01-16');
  });
});
