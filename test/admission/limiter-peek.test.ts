import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AdmissionLimiter, DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const HOUR_MS = 3_600_000;

describe("the limiter's peek says what admit would decide, and takes nothing", () => {
  const redis = useLocalRedis();
  const limiter = (limits = {}) =>
    new AdmissionLimiter(redis.client(), { ...DEFAULT_ADMISSION_LIMITS, ...limits }, `lp-${randomUUID()}`);

  it('in every state along a user using up their clips, peek matches the next admit exactly', async () => {
    const l = limiter({ userClips: 3, maxActivePerUser: 2, maxWaitingPerTenant: 10 });
    const now = 1_800_000_000_000;
    const who = { tenantId: 'discord:1', userId: 'discord:ana', busyRetryMs: 60_000 };
    for (let i = 0; i < 6; i++) {
      const at = now + i * 1_000;
      const peek = await l.peek({ ...who, now: at });
      const peekAgain = await l.peek({ ...who, now: at });
      expect(peekAgain).toEqual(peek);
      const decision = await l.admit({ ...who, jobId: `j${i}`, now: at });
      expect(peek.decision, `admission ${i}`).toEqual(decision);
      if (i === 1) await l.markFinished('j0', 'discord:1', 'discord:ana');
    }
  });

  it('counts whole clips left in both buckets, and the bucket that refuses says when', async () => {
    const l = limiter({ tenantClips: 4, userClips: 2, maxActivePerUser: 5 });
    const now = 1_800_000_000_000;
    const who = { tenantId: 'discord:1', userId: 'discord:ana' };
    expect(await l.peek({ ...who, now })).toEqual({
      decision: { admitted: true },
      tokensLeft: { tenant: 4, user: 2 },
    });
    await l.admit({ ...who, jobId: 'a', now });
    await l.admit({ ...who, jobId: 'b', now });
    const peek = await l.peek({ ...who, now });
    expect(peek.tokensLeft).toEqual({ tenant: 2, user: 0 });
    expect(peek.decision).toMatchObject({
      admitted: false,
      reason: 'user-rate-limit',
      retryAt: now + HOUR_MS / 2,
    });
  });

  it('leaked slots (older than the key TTL) are not counted, and a peek does not remove them', async () => {
    const l = limiter({ maxActivePerUser: 1 });
    const now = 1_800_000_000_000;
    const who = { tenantId: 'discord:1', userId: 'discord:ana' };
    await l.admit({ ...who, jobId: 'old', now });
    const later = now + DEFAULT_ADMISSION_LIMITS.keyTtlMs + 1;
    expect((await l.peek({ ...who, now: later })).decision).toEqual({ admitted: true });
    expect(await l.activeJobs('discord:ana', now)).toEqual(['old']);
    expect(await l.activeJobs('discord:ana', later)).toEqual([]);
  });
});
