import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type LuaCommand, luaCommand } from '../../redis/index.ts';
import { type AdmissionLimits, admissionLimitsSchema, withLimits } from './admission-limits.ts';
import { type LimitRefusalReason, refusalMessage } from './refusal-message.ts';

/** What the limiter decided for one job. `retryAt` is ms since the epoch. */
export type LimitDecision =
  | { admitted: true }
  | { admitted: false; reason: LimitRefusalReason; retryAt: number; message: string };

/** One share: a clip made for an identical request, answered from the cache or by joining its job. */
export interface ShareInput {
  tenantId: string;
  /** Unique across tenants, as for {@link AdmitInput}. */
  userId: string;
  /** ms since the epoch; default Date.now(). */
  now?: number;
  /** This tenant's own limits, over the limiter's. */
  limits?: Partial<AdmissionLimits>;
}

/** One admission request. */
export interface AdmitInput {
  tenantId: string;
  /** Unique across tenants (qualify it with the platform, e.g. `discord:1234`): user limits are global. */
  userId: string;
  jobId: string;
  /** ms since the epoch; default Date.now(). */
  now?: number;
  /** ms from now until a busy slot likely frees (the queue's ETA); default limits.busyRetryMs. */
  busyRetryMs?: number;
  /** This tenant's own limits, over the limiter's. */
  limits?: Partial<AdmissionLimits>;
}

/** A look at what a new job of this user and tenant would get now, for /video-queue. */
export interface PeekInput {
  tenantId: string;
  userId: string;
  now?: number;
  /** As for {@link AdmitInput}: ms from now until a busy slot likely frees. */
  busyRetryMs?: number;
  limits?: Partial<AdmissionLimits>;
}

/** What a new job would get now (the decision admit would make), and the whole clips left. */
export interface LimitPeek {
  decision: LimitDecision;
  tokensLeft: { tenant: number; user: number };
}

const REFUSALS = [
  'user-busy',
  'tenant-queue-full',
  'queue-full',
  'tenant-rate-limit',
  'user-rate-limit',
] as const;

/** The script's reply to a peek. */
const peekReply = z.union([
  z.tuple([z.literal(1), z.literal(''), z.literal(0), z.number().int(), z.number().int()]),
  z.tuple([z.literal(0), z.enum(REFUSALS), z.number().int(), z.number().int(), z.number().int()]),
]);

/** The script's reply, checked: it crosses a process boundary. */
const admitReply = z.union([
  z.tuple([z.literal(1)]),
  z.tuple([z.literal(0), z.enum(REFUSALS), z.number().int()]),
]);

/**
 * Per-tenant and per-user rate limits and queue caps, all checked and taken in one Redis script
 * (admit-5.lua), so concurrent bots never over-admit and a refusal takes nothing. Call markStarted
 * when a worker picks the job up and markFinished when it ends (done, failed or cancelled). A share
 * (a clip that already exists or is being made) goes through {@link share}: cheaper, never free.
 */
export class AdmissionLimiter {
  private readonly limits: AdmissionLimits;
  private readonly admitScript: LuaCommand;

  constructor(
    private readonly redis: Redis,
    limits: AdmissionLimits,
    private readonly keyPrefix = 'clipbot',
  ) {
    this.limits = admissionLimitsSchema.parse(limits);
    this.admitScript = luaCommand(redis, 'clipbotAdmit5', new URL('./admit-5.lua', import.meta.url), 5);
  }

  /** Admits the job and takes its tokens and slots, or says which limit refuses and until when. */
  async admit(input: AdmitInput): Promise<LimitDecision> {
    return this.run('job', input, input.jobId, input.busyRetryMs);
  }

  /**
   * Lets a request share a clip made for an identical one (from the cache, or by joining its job in
   * flight): it takes 1/sharesPerClip of a token from the tenant's and the user's buckets and no
   * queue slot, or is refused by the bucket that is empty, with when to try again.
   */
  async share(input: ShareInput): Promise<LimitDecision> {
    return this.run('share', input, '', undefined);
  }

  /**
   * What {@link admit} would decide for a new job of this user and tenant now, and the whole clips
   * left in both buckets; takes nothing and writes nothing (the same script, in its peek mode).
   */
  async peek(input: PeekInput): Promise<LimitPeek> {
    const limits = this.limitsFor(input.limits);
    const now = input.now ?? Date.now();
    const reply = peekReply.parse(await this.call('peek', input, limits, now, '', input.busyRetryMs));
    const tokensLeft = { tenant: reply[3], user: reply[4] };
    if (reply[0] === 1) return { decision: { admitted: true }, tokensLeft };
    const [, reason, retryAt] = reply;
    const message = refusalMessage(reason, retryAt, limits, now);
    return { decision: { admitted: false, reason, retryAt, message }, tokensLeft };
  }

  /** The limits that apply with a tenant's own `override` (none: the operator's), validated. */
  limitsFor(override?: Partial<AdmissionLimits>): AdmissionLimits {
    return override ? withLimits(this.limits, override) : this.limits;
  }

  /** The user's jobs queued or running (leaked entries excluded), oldest first. */
  async activeJobs(userId: string, now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('user', userId, 'active'), now - this.limits.keyTtlMs, '+inf');
  }

  private async run(
    kind: 'job' | 'share',
    input: ShareInput,
    jobId: string,
    busyRetryMs: number | undefined,
  ): Promise<LimitDecision> {
    const limits = this.limitsFor(input.limits);
    const now = input.now ?? Date.now();
    const reply = admitReply.parse(await this.call(kind, input, limits, now, jobId, busyRetryMs));
    if (reply[0] === 1) return { admitted: true };
    const [, reason, retryAt] = reply;
    const message = refusalMessage(reason, retryAt, limits, now, { shared: kind === 'share' });
    return { admitted: false, reason, retryAt, message };
  }

  private call(
    kind: 'job' | 'share' | 'peek',
    input: ShareInput,
    limits: AdmissionLimits,
    now: number,
    jobId: string,
    busyRetryMs: number | undefined,
  ): Promise<unknown> {
    return this.admitScript(
      this.key('tenant', input.tenantId, 'bucket'),
      this.key('user', input.userId, 'bucket'),
      this.key('user', input.userId, 'active'),
      this.key('tenant', input.tenantId, 'waiting'),
      this.globalWaitingKey(),
      now,
      limits.tenantClips,
      limits.tenantIntervalMs,
      limits.userClips,
      limits.userIntervalMs,
      limits.maxActivePerUser,
      limits.maxWaitingPerTenant,
      limits.maxWaitingGlobal,
      jobId,
      Math.max(0, Math.ceil(busyRetryMs ?? limits.busyRetryMs)),
      limits.keyTtlMs,
      kind,
      limits.sharesPerClip,
    );
  }

  /** The job left the queue for a worker: frees its waiting slots (its user slot stays). Idempotent. */
  async markStarted(jobId: string, tenantId: string): Promise<void> {
    await this.removeEverywhere(jobId, [this.key('tenant', tenantId, 'waiting'), this.globalWaitingKey()]);
  }

  /** The job ended, however: frees all its slots. Idempotent. */
  async markFinished(jobId: string, tenantId: string, userId: string): Promise<void> {
    await this.removeEverywhere(jobId, [
      this.key('user', userId, 'active'),
      this.key('tenant', tenantId, 'waiting'),
      this.globalWaitingKey(),
    ]);
  }

  /** Jobs the tenant has waiting, counting as the script does (leaked entries excluded). */
  async waitingCount(tenantId: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.key('tenant', tenantId, 'waiting'), now - this.limits.keyTtlMs, '+inf');
  }

  private async removeEverywhere(jobId: string, keys: string[]): Promise<void> {
    const multi = this.redis.multi();
    for (const key of keys) multi.zrem(key, jobId);
    const results = (await multi.exec()) ?? [];
    const failure = results.find(([error]) => error !== null);
    if (failure) throw failure[0];
  }

  private key(kind: 'tenant' | 'user', id: string, what: 'bucket' | 'active' | 'waiting'): string {
    return `${this.keyPrefix}:limits:${kind}:${id}:${what}`;
  }

  private globalWaitingKey(): string {
    return `${this.keyPrefix}:limits:waiting`;
  }
}
