import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdmissionLimits } from '../../src/admission/index.ts';
import { VideoService } from '../../src/app/index.ts';
import type { Reply, ReplyTarget } from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { videoServiceDeps } from '../support/video-service-deps.ts';

const PROMPT = 'a red ball bouncing on grass';

describe('a clip shared from the cache or from an identical job in flight counts against the limits', () => {
  const redis = useLocalRedis();
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  /** The /video use case as the bot wires it, with `limits`; no worker, so jobs stay queued. */
  function service(limits: Partial<AdmissionLimits>) {
    const prefix = `s-${randomUUID()}`;
    const connection = redis.client();
    const replies = new Map<string, Reply>();
    const deps = videoServiceDeps(connection, prefix, {
      limits,
      show: async (target: ReplyTarget, reply: Reply) => {
        replies.set(target.replyId, reply);
      },
    });
    const { generate, cache, artifacts } = deps;
    queues.push(generate);
    const video = new VideoService(deps);
    let n = 0;
    /** `user` asks for `prompt` with seed 1; returns the reply it got. */
    const send = async (user: string, prompt = PROMPT): Promise<Reply | undefined> => {
      const id = `r${++n}`;
      await video.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'discord', id: 'guild' },
          user: { id: user },
          channelId: 'general',
          prompt,
          options: { seed: 1, quality: 'low' },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
        },
        messageTarget(id, 'discord'),
      );
      return replies.get(id);
    };
    /** The queued job of `reply` finished: its clip is stored and the cache knows it. */
    const finish = async (reply: Reply | undefined) => {
      if (reply?.kind !== 'queued') throw new Error(`expected a queued reply, got ${JSON.stringify(reply)}`);
      const job = await generate.getJob(reply.jobId);
      if (!job) throw new Error('the job is not in the queue');
      await artifacts.put(`clip-${reply.jobId}`, Buffer.from('an mp4'));
      await cache.finish(job.data.fingerprint, {
        jobId: reply.jobId,
        artifactKey: `clip-${reply.jobId}`,
        tier: 'low',
      });
    };
    return { send, finish };
  }

  it('when a user takes clips from the cache past their share of the hour, then they are refused with when to try again', async () => {
    // 2 clips an hour, 4 shared clips for one: 8 from the cache, and the 9th is refused.
    const { send, finish } = service({ userClips: 2, sharesPerClip: 4 });
    await finish(await send('maker'));
    for (let i = 1; i <= 8; i++) expect((await send('fan'))?.kind).toBe('done');
    const refused = await send('fan');
    expect(refused).toMatchObject({ kind: 'refused', reason: 'user-rate-limit' });
    expect(refused?.kind === 'refused' && refused.message).toMatch(
      /^You have used your 2 clips for this hour \(4 clips that were already made count as one\)\. Try again at \d\d:\d\d UTC\.$/,
    );
  });

  it("when a server's clips for the hour are used up, then cache hits are refused too, naming the server's limit", async () => {
    const { send, finish } = service({ tenantClips: 2, sharesPerClip: 2 });
    await finish(await send('maker')); // one clip of the server's two
    expect((await send('a'))?.kind).toBe('done');
    expect((await send('b'))?.kind).toBe('done');
    expect(await send('c')).toMatchObject({ kind: 'refused', reason: 'tenant-rate-limit' });
  });

  it('a cache hit takes no queue slot: a user whose one job is queued still gets a cached clip', async () => {
    const { send, finish } = service({ maxActivePerUser: 1 });
    await finish(await send('maker'));
    expect((await send('busy', 'a blue square sliding left'))?.kind).toBe('queued');
    expect(await send('busy', 'a green star')).toMatchObject({ kind: 'refused', reason: 'user-busy' });
    expect((await send('busy'))?.kind).toBe('done');
  });

  it('when a user joins an identical job in flight past their share of the hour, then they are refused, and joining costs no slot', async () => {
    const { send } = service({ userClips: 1, sharesPerClip: 2, maxActivePerUser: 1 });
    expect((await send('maker'))?.kind).toBe('queued');
    expect((await send('fan'))?.kind).toBe('queued'); // joined: half a clip
    expect((await send('fan'))?.kind).toBe('queued'); // joined again: the other half
    expect(await send('fan')).toMatchObject({ kind: 'refused', reason: 'user-rate-limit' });
  });
});
