import { randomUUID } from 'node:crypto';
import { type Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { queueViewText } from '../../commands/index.ts';
import { QueueService, VideoService } from '../../src/app/index.ts';
import { type QueuedJobView, type Reply, type ReplyTarget, utcTime } from '../../src/core/index.ts';
import { queuePosition } from '../../src/queue/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { videoServiceDeps } from '../support/video-service-deps.ts';

const HOUR_MS = 3_600_000;

describe('/video-queue shows the asker their own jobs, their tenant and when they may ask again', () => {
  const redis = useLocalRedis();
  const closing: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });

  /** Admission, the queue and the /video-queue use case on one prefix; no worker runs. */
  function setup() {
    const prefix = `qv-${randomUUID()}`;
    const connection = redis.client();
    const shown: { target: ReplyTarget; reply: Reply }[] = [];
    const deps = videoServiceDeps(connection, prefix, {
      show: async (target, reply) => void shown.push({ target, reply }),
    });
    closing.push(deps.generate);
    const video = new VideoService(deps);
    const queue = new QueueService(deps);
    let n = 0;
    /** `user` asks for a clip in `tenant`; resolves to the job id it was queued as. */
    const ask = async (tenant: string, user: string, prompt: string): Promise<Reply | undefined> => {
      const id = `r${++n}`;
      await video.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'discord', id: tenant },
          user: { id: user },
          channelId: 'general',
          prompt,
          options: { seed: n },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        messageTarget(id, 'discord'),
      );
      return shown.find((s) => s.target.replyId === id)?.reply;
    };
    const view = (tenant: string, user: string, now?: number) =>
      queue.onQueueQuery(
        { tenant: { platform: 'discord', id: tenant }, user: { id: user }, channelId: 'general' },
        now,
      );
    return { deps, ask, view, prefix, connection };
  }

  const jobIdOf = (reply: Reply | undefined): string => {
    if (reply?.kind !== 'queued') throw new Error(`expected a queued reply, got ${JSON.stringify(reply)}`);
    return reply.jobId;
  };

  it('with jobs of two users in two tenants queued, each asker sees only their own, at their positions, with the tenant waiting count, its limits and their next clip', async () => {
    const { deps, ask, view } = setup();
    // Tenant 100 lets each person make 2 clips an hour, 3 at once; tenant 200 keeps the operator's.
    await deps.tenants.set('discord:100', { limits: { userClips: 2, maxActivePerUser: 3 } });
    const ana1 = jobIdOf(await ask('100', 'ana', 'a red ball bouncing'));
    const ben1 = jobIdOf(await ask('100', 'ben', 'a blue square sliding'));
    const cy1 = jobIdOf(await ask('200', 'cy', 'a green star spinning'));
    const ana2 = jobIdOf(await ask('100', 'ana', 'a yellow moon rising'));
    const before = Date.now();

    const anas = await view('100', 'ana');
    const position = async (jobId: string) => {
      const where = await queuePosition(deps.generate, deps.redis, jobId);
      return where.state === 'waiting' ? where.position : -1;
    };
    expect(anas.jobs.map((j) => j.jobId)).toEqual([ana1, ana2]);
    expect(anas.jobs.map((j) => (j.state === 'waiting' ? j.position : 0))).toEqual([
      await position(ana1),
      await position(ana2),
    ]);
    // Fair order: tenant 200's first job goes ahead of tenant 100's second and third.
    expect(anas.jobs.map((j) => (j.state === 'waiting' ? j.position : 0))).toEqual([1, 4]);
    expect(anas.jobs[0]).toMatchObject({ state: 'waiting', prompt: 'a red ball bouncing', elsewhere: false });
    for (const job of anas.jobs) expect(job.etaAt).toBeGreaterThan(before);
    expect(anas.jobs[1]?.etaAt).toBeGreaterThan(anas.jobs[0]?.etaAt ?? Infinity);
    expect(anas.tenantWaiting).toBe(3);
    expect(anas.noWorker).toBe(true);
    expect(anas.limits.userClips).toEqual({ value: 2, own: true });
    expect(anas.limits.maxActivePerUser).toEqual({ value: 3, own: true });
    expect(anas.limits.tenantClips).toEqual({ value: 30, own: false });
    expect(anas.limits.userIntervalMs).toEqual({ value: HOUR_MS, own: false });
    // Ana used both her clips this hour: the next one when one token is back (2 an hour: 30 minutes).
    expect(anas.clipsLeft).toEqual({ user: 0, tenant: 27 });
    expect(anas.nextClip).toMatchObject({ kind: 'later', reason: 'user-rate-limit' });
    const at = anas.nextClip.kind === 'later' ? anas.nextClip.at : 0;
    expect(at).toBeGreaterThanOrEqual(before + HOUR_MS / 2 - 5_000);
    expect(at).toBeLessThanOrEqual(Date.now() + HOUR_MS / 2);

    const bens = await view('100', 'ben');
    expect(bens.jobs.map((j) => j.jobId)).toEqual([ben1]);
    expect(bens.jobs[0]).toMatchObject({ state: 'waiting', position: 3 });
    expect(bens.clipsLeft.user).toBe(1);
    expect(bens.nextClip).toEqual({ kind: 'now' });

    // Tenant 200 keeps the operator's one job at a time: cy may ask again when his job is done.
    const cys = await view('200', 'cy');
    expect(cys.jobs.map((j) => j.jobId)).toEqual([cy1]);
    expect(cys.tenantWaiting).toBe(1);
    expect(cys.limits.userClips).toEqual({ value: 6, own: false });
    expect(cys.limits.maxActivePerUser).toEqual({ value: 1, own: false });
    expect(cys.nextClip).toEqual({ kind: 'later', reason: 'user-busy', at: cys.jobs[0]?.etaAt });

    // Ana asking from the other tenant still sees her jobs, marked as asked elsewhere, and that tenant's limits.
    const anaElsewhere = await view('200', 'ana');
    expect(anaElsewhere.jobs.map((j) => [j.jobId, j.elsewhere])).toEqual([
      [ana1, true],
      [ana2, true],
    ]);
    expect(anaElsewhere.limits.userClips).toEqual({ value: 6, own: false });
    expect(anaElsewhere.tenantWaiting).toBe(1);
  });

  it('looking takes nothing: what the view says is what admission then does', async () => {
    const { deps, ask, view } = setup();
    await deps.tenants.set('discord:100', { limits: { userClips: 2, maxActivePerUser: 3 } });
    await ask('100', 'ben', 'a blue square sliding');
    for (let i = 0; i < 5; i++) expect((await view('100', 'ben')).nextClip).toEqual({ kind: 'now' });
    expect(await ask('100', 'ben', 'a red circle growing')).toMatchObject({ kind: 'queued' });
    const after = await view('100', 'ben');
    expect(after.nextClip).toMatchObject({ kind: 'later', reason: 'user-rate-limit' });
    const refused = await ask('100', 'ben', 'a purple cube falling');
    expect(refused).toMatchObject({ kind: 'refused', reason: 'user-rate-limit' });
    // A bucket's refill time does not move while it waits: the same moment, to the millisecond.
    const retryAt = refused?.kind === 'refused' ? (refused.retryAt ?? 0) : 0;
    const promised = after.nextClip.kind === 'later' ? after.nextClip.at : 0;
    expect(Math.abs(retryAt - promised)).toBeLessThanOrEqual(1);
  });

  it('a running job shows its step and tier; a switched-off tenant says no next clip here', async () => {
    const { deps, ask, view, prefix } = setup();
    await deps.tenants.set('discord:100', { limits: { maxActivePerUser: 2 } });
    const first = jobIdOf(await ask('100', 'ana', 'a red ball bouncing'));
    const second = jobIdOf(await ask('100', 'ana', 'a yellow moon rising'));
    // A worker takes the first job and reports progress, as the generate worker does.
    const worker = new Worker('generate', null, { connection: redis.client(), prefix, autorun: false });
    closing.push({ close: () => worker.close(true) });
    const job = await worker.getNextJob('test-token');
    expect(job?.id).toBe(first);
    await job?.updateProgress({ step: 3, totalSteps: 12, tier: 'low', etaMs: 4_000 });
    const now = Date.now();
    const anas = await view('100', 'ana', now);
    expect(anas.jobs).toEqual<QueuedJobView[]>([
      {
        state: 'running',
        jobId: first,
        prompt: 'a red ball bouncing',
        step: 3,
        totalSteps: 12,
        tier: 'low',
        etaAt: now + 4_000,
        elsewhere: false,
      },
      expect.objectContaining({ state: 'waiting', jobId: second, position: 1 }),
    ]);
    const text = queueViewText(anas, utcTime);
    expect(text).toContain('“a red ball bouncing”: rendering, step 3/12 at low; done: ');
    expect(text).toContain('“a yellow moon rising”: waiting, 1st in line; done: ');
    expect(text.length).toBeLessThanOrEqual(2_000);

    await deps.tenants.set('discord:100', { enabled: false });
    expect((await view('100', 'ana')).nextClip).toEqual({ kind: 'closed', reason: 'disabled' });
    await deps.tenants.set('discord:100', { enabled: true, allowedChannels: ['videos'] });
    expect((await view('100', 'ana')).nextClip).toEqual({ kind: 'closed', reason: 'channel-not-allowed' });
  });

  it('says nothing of jobs that already ended', async () => {
    const { deps, ask, view } = setup();
    const jobId = jobIdOf(await ask('100', 'ana', 'a red ball bouncing'));
    await deps.limiter.markFinished(jobId, 'discord:100', 'discord:ana');
    await (deps.generate as Queue).remove(jobId);
    const anas = await view('100', 'ana');
    expect(anas.jobs).toEqual([]);
    expect(anas.tenantWaiting).toBe(0);
    expect(anas.nextClip).toEqual({ kind: 'now' });
    expect(anas.clipsLeft.user).toBe(5);
  });
});
