import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ButtonActions, VideoService } from '../../src/app/index.ts';
import type { ButtonPress, Reply, ReplyTarget, Requester, TenantRef } from '../../src/core/index.ts';
import { createDeliverQueues } from '../../src/delivery/index.ts';
import { JobCanceller, JobEndings } from '../../src/jobs/index.ts';
import { CancelRequests } from '../../src/queue/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { videoServiceDeps } from '../support/video-service-deps.ts';

const GUILD: TenantRef = { platform: 'discord', id: '100' };
const OTHER_GUILD: TenantRef = { platform: 'discord', id: '200' };
const NOT_YOURS = 'Only the person who asked for this video can cancel it.';

describe('Cancel by the requester or a moderator of the server', () => {
  const redis = useLocalRedis();
  const closing: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((c) => c.close()));
  });

  /** /video and the buttons as the bot wires them, with the real canceller; no worker runs. */
  function setup() {
    const prefix = `mc-${randomUUID()}`;
    const connection = redis.client();
    const shown: { target: ReplyTarget; reply: Reply }[] = [];
    const notices: { user: string; message: string }[] = [];
    const show = async (target: ReplyTarget, reply: Reply) => void shown.push({ target, reply });
    const deps = videoServiceDeps(connection, prefix, { show });
    const logger = pino({ level: 'silent' });
    const deliver = createDeliverQueues(connection, prefix, { logger });
    const cancels = new CancelRequests(connection, prefix);
    closing.push(deps.generate, ...deliver.values());
    const endings = new JobEndings({
      limiter: deps.limiter,
      cache: deps.cache,
      deliver,
      redis: connection,
      prefix,
    });
    const video = new VideoService(deps);
    const buttons = new ButtonActions({
      canceller: new JobCanceller({ generate: deps.generate, cancels, endings }),
      book: deps.book,
      dedupe: deps.dedupe,
      requestVideo: (request, target) => video.onVideoRequest(request, target),
      artifacts: deps.artifacts,
      show,
      notify: async (to, message) => void notices.push({ user: String(to.handle.user), message }),
      logger,
    });
    /** `user` asks for the same clip as everyone (so later askers join the first one's job). */
    const ask = async (user: string, replyId: string): Promise<string> => {
      await video.onVideoRequest(
        {
          requestId: `q-${replyId}`,
          tenant: GUILD,
          user: { id: user },
          channelId: 'general',
          prompt: 'a red ball bouncing',
          options: { seed: 7 },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        messageTarget(replyId, 'discord'),
      );
      const reply = shown.find((s) => s.target.replyId === replyId)?.reply;
      if (reply?.kind !== 'queued') throw new Error(`expected queued, got ${JSON.stringify(reply)}`);
      return reply.jobId;
    };
    /** `user` presses Cancel under the reply `replyId`. */
    const cancel = (user: Requester, replyId: string, tenant = GUILD): Promise<void> => {
      const press: ButtonPress = {
        pressId: randomUUID(),
        action: 'cancel',
        presser: { tenant, user, channelId: 'general', uploadLimitBytes: 10 * 1024 * 1024 },
        message: messageTarget(replyId, 'discord'),
        notices: { platform: 'discord', handle: { user: user.id } },
        followUp: messageTarget(`f-${randomUUID()}`, 'discord'),
        receivedAt: Date.now(),
      };
      return buttons.onButton(press);
    };
    const shownTo = (replyId: string) =>
      shown.filter((s) => s.target.replyId === replyId).map((s) => s.reply.kind);
    return { deps, deliver, cancels, ask, cancel, notices, shownTo, prefix };
  }

  const MOD: Requester = { id: 'mo', isModerator: true };

  it('someone who neither asked nor moderates is told it is not theirs, and the job goes on', async () => {
    const { deps, ask, cancel, notices, shownTo } = setup();
    const jobId = await ask('ana', 'm1');
    await cancel({ id: 'carl' }, 'm1');
    // A moderator of another server has no say over this one's videos.
    await cancel(MOD, 'm1', OTHER_GUILD);
    expect(notices).toEqual([
      { user: 'carl', message: NOT_YOURS },
      { user: 'mo', message: NOT_YOURS },
    ]);
    expect(await (await deps.generate.getJob(jobId))?.getState()).toBe('prioritized');
    expect(shownTo('m1')).toEqual(['queued']);
  });

  it("a moderator's Cancel on a waiting job's own reply cancels the job, as its requester could", async () => {
    const { deps, deliver, ask, cancel, notices } = setup();
    const jobId = await ask('ana', 'm1');
    await cancel(MOD, 'm1');
    expect(notices).toEqual([]); // the job's message itself says so, through its delivery
    expect(await deps.generate.getJob(jobId)).toBeUndefined();
    expect(await deps.limiter.activeJobs('discord:ana')).toEqual([]);
    const delivery = await deliver.get('discord')?.getJob(`deliver-${jobId}`);
    expect(delivery?.data).toMatchObject({ outcome: 'cancelled', jobId });
  });

  it("a moderator's Cancel on a reply that joined someone's job takes out that reply only; the job goes on", async () => {
    const { deps, ask, cancel, shownTo } = setup();
    const jobId = await ask('ana', 'm1');
    expect(await ask('ben', 'm2')).toBe(jobId); // ben's identical request joined ana's job
    await cancel(MOD, 'm2');
    expect(shownTo('m2')).toEqual(['queued', 'cancelled']);
    expect(shownTo('m1')).toEqual(['queued']);
    expect(await (await deps.generate.getJob(jobId))?.getState()).toBe('prioritized');
  });

  it("a moderator's Cancel on a running job asks its worker to stop it, and says so to the moderator", async () => {
    const { deps, cancels, ask, cancel, notices, prefix } = setup();
    const jobId = await ask('ana', 'm1');
    const worker = new Worker('generate', null, { connection: redis.client(), prefix, autorun: false });
    closing.push({ close: () => worker.close(true) });
    expect((await worker.getNextJob('test-token'))?.id).toBe(jobId);
    await cancel(MOD, 'm1');
    expect(await cancels.isRequested(jobId)).toBe(true);
    expect(notices).toEqual([{ user: 'mo', message: 'Stopping that video…' }]);
    expect(await (await deps.generate.getJob(jobId))?.getState()).toBe('active');
  });

  it('the requester still cancels their own', async () => {
    const { deps, ask, cancel } = setup();
    const jobId = await ask('ana', 'm1');
    await cancel({ id: 'ana' }, 'm1');
    expect(await deps.generate.getJob(jobId)).toBeUndefined();
  });
});
