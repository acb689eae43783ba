import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { VideoService } from '../../src/app/index.ts';
import type { QualityChoice, Reply, ReplyTarget, VideoRequest } from '../../src/core/index.ts';
import {
  CHANNEL_NOT_ALLOWED_MESSAGE,
  DISABLED_MESSAGE,
  type TenantSettings,
  TenantSettingsStore,
} from '../../src/tenants/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { TEST_TIERS, videoServiceDeps } from '../support/video-service-deps.ts';

const silent = pino({ level: 'silent' });

/** A store whose Redis read fails, as when Redis is unreachable. */
class UnreachableStore extends TenantSettingsStore<QualityChoice> {
  override async get(): Promise<TenantSettings<QualityChoice>> {
    throw new Error('redis unreachable (test)');
  }
}

describe('the /video use case applies each tenant its own settings', () => {
  const redis = useLocalRedis();
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  /** Admission and the queue as the bot wires them; no worker, so queued jobs stay queued. */
  function admission(options: { broken?: boolean } = {}) {
    const prefix = `a-${randomUUID()}`;
    const connection = redis.client();
    const shown: { target: ReplyTarget; reply: Reply }[] = [];
    const deps = videoServiceDeps(connection, prefix, {
      show: async (t, r) => {
        shown.push({ target: t, reply: r });
      },
    });
    const { generate, limiter } = deps;
    queues.push(generate);
    const tenants = deps.tenants;
    const storeOptions = { keyPrefix: prefix, tiers: TEST_TIERS, logger: silent };
    const service = new VideoService({
      ...deps,
      tenants: options.broken ? new UnreachableStore(connection, storeOptions) : tenants,
    });
    let n = 0;
    /** Sends one request and returns the reply it got. */
    const send = async (
      tenant: string,
      prompt: string,
      more: { user?: string; channel?: string; options?: VideoRequest['options'] } = {},
    ): Promise<Reply | undefined> => {
      const id = `r${++n}`;
      await service.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'discord', id: tenant },
          user: { id: more.user ?? `user-${id}` },
          channelId: more.channel ?? 'general',
          prompt,
          options: { seed: n, ...more.options },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        messageTarget(id, 'discord'),
      );
      return shown.find((r) => r.target.replyId === id)?.reply;
    };
    return { send, tenants, limiter, generate };
  }

  const jobIdOf = (reply: Reply | undefined): string => {
    if (reply?.kind !== 'queued') throw new Error(`expected a queued reply, got ${JSON.stringify(reply)}`);
    return reply.jobId;
  };

  it('when an admin switched the bot off for a tenant, then its requests are refused with "disabled" and nothing is queued', async () => {
    const { send, tenants, generate } = await admission();
    await tenants.set('discord:100', { enabled: false });
    expect(await send('100', 'a red ball bouncing')).toEqual({
      kind: 'refused',
      reason: 'disabled',
      message: DISABLED_MESSAGE,
    });
    expect(await send('100', 'hi')).toMatchObject({ reason: 'disabled' });
    expect(await generate.count()).toBe(0);
    expect(await send('200', 'a red ball bouncing')).toMatchObject({ kind: 'queued' });
  });

  it('when a tenant allows only some channels, then a request elsewhere is refused and one in an allowed channel is queued', async () => {
    const { send, tenants } = await admission();
    await tenants.set('discord:100', { allowedChannels: ['videos', 'art'] });
    expect(await send('100', 'a red ball bouncing', { channel: 'general' })).toEqual({
      kind: 'refused',
      reason: 'channel-not-allowed',
      message: CHANNEL_NOT_ALLOWED_MESSAGE,
    });
    expect(await send('100', 'a red ball bouncing', { channel: 'art' })).toMatchObject({ kind: 'queued' });
  });

  it("when a tenant blocks a term, then its prompt is refused as blocked while another tenant's same prompt is queued", async () => {
    const { send, tenants } = await admission();
    await tenants.set('discord:100', { blocklist: ['dragon'] });
    const refused = await send('100', 'a green DRAGON flies over hills');
    expect(refused).toMatchObject({ kind: 'refused', reason: 'blocked-prompt' });
    expect(refused?.kind === 'refused' && refused.message).not.toMatch(/dragon/i);
    expect(await send('200', 'a green DRAGON flies over hills')).toMatchObject({ kind: 'queued' });
  });

  it('when a tenant allows one clip per user, then the second is refused for the user rate, where the global default allows it', async () => {
    const { send, tenants, limiter } = await admission();
    await tenants.set('discord:100', { limits: { userClips: 1 } });
    for (const [tenant, user] of [
      ['100', 'ana'],
      ['200', 'ben'],
    ] as const) {
      const first = jobIdOf(await send(tenant, 'a red ball bouncing', { user }));
      await limiter.markFinished(first, `discord:${tenant}`, `discord:${user}`);
    }
    expect(await send('100', 'a blue square sliding', { user: 'ana' })).toMatchObject({
      kind: 'refused',
      reason: 'user-rate-limit',
      retryAt: expect.any(Number),
    });
    expect(await send('200', 'a blue square sliding', { user: 'ben' })).toMatchObject({ kind: 'queued' });
  });

  it('when a tenant has a default tier, then a request naming no quality gets it and one naming a quality keeps its own', async () => {
    const { send, tenants, generate } = await admission();
    await tenants.set('discord:100', { defaultTier: 'high' });
    const quality = async (reply: Reply | undefined) => (await generate.getJob(jobIdOf(reply)))?.data.quality;
    expect(await quality(await send('100', 'a red ball bouncing'))).toBe('high');
    expect(await quality(await send('100', 'a red ball bouncing', { options: { quality: 'low' } }))).toBe(
      'low',
    );
    expect(await quality(await send('100', 'a red ball bouncing', { options: { quality: 'auto' } }))).toBe(
      'auto',
    );
    expect(await quality(await send('200', 'a red ball bouncing'))).toBe('auto');
  });

  it('when something fails on our side, then the user gets a "failed" reply, not an input refusal', async () => {
    const { send } = await admission({ broken: true });
    expect(await send('100', 'a red ball bouncing')).toEqual({
      kind: 'failed',
      jobId: 'r1',
      message: expect.stringMatching(/went wrong on our side/),
    });
  });
});
