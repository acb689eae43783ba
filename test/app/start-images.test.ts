// Admission of a picture attached to /video (image to video): checked, kept beside the job (not in
// its data), part of the clip's fingerprint, refused clearly by a model that makes clips from text.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { VideoService } from '../../src/app/index.ts';
import { type AttachedImage, imageFromBytes, type Reply, type ReplyTarget } from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { testPicture } from '../support/test-images.ts';
import { videoServiceDeps } from '../support/video-service-deps.ts';

describe('a picture attached to /video', () => {
  const redis = useLocalRedis();
  const queues: Queue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  function service(takesImage: boolean) {
    const prefix = `img-${randomUUID()}`;
    const replies = new Map<string, Reply>();
    const deps = videoServiceDeps(redis.client(), prefix, {
      takesImage,
      show: async (target: ReplyTarget, reply: Reply) => {
        replies.set(target.replyId, reply);
      },
    });
    queues.push(deps.generate);
    const video = new VideoService(deps);
    let n = 0;
    const send = async (image?: AttachedImage, user = 'ana'): Promise<Reply | undefined> => {
      const id = `r${++n}`;
      await video.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'discord', id: 'guild' },
          user: { id: user },
          channelId: 'general',
          prompt: 'the cat in the picture stretches and yawns',
          options: { seed: 3, quality: 'low' },
          receivedAt: Date.now(),
          uploadLimitBytes: 10 * 1024 * 1024,
          ...(image ? { image } : {}),
        },
        messageTarget(id, 'discord'),
      );
      return replies.get(id);
    };
    const jobOf = async (reply: Reply | undefined) => {
      if (reply?.kind !== 'queued') throw new Error(`expected a queued reply, got ${JSON.stringify(reply)}`);
      const job = await deps.generate.getJob(reply.jobId);
      if (!job) throw new Error('the job is not in the queue');
      return job;
    };
    return { deps, send, jobOf };
  }

  it('is kept in the artifact store under its hash, and the job carries only a reference to it', async () => {
    const { deps, send, jobOf } = service(true);
    const png = await testPicture('png', 640, 360);
    const job = await jobOf(await send(imageFromBytes('cat.png', png)));
    expect(job.data.startImage).toMatchObject({ name: 'cat.png', format: 'png', width: 640, height: 360 });
    const key = job.data.startImage?.key ?? '';
    expect(key).toMatch(/^image-[0-9a-f]{64}$/);
    expect((await deps.artifacts.get(key))?.equals(png)).toBe(true);
    expect(JSON.stringify(job.data).length).toBeLessThan(2_000);
  });

  it('is part of the fingerprint: the same prompt and seed without it, or with another picture, is another clip', async () => {
    const { send, jobOf } = service(true);
    const cat = imageFromBytes('cat.png', await testPicture('png', 640, 360));
    const dog = imageFromBytes('dog.jpg', await testPicture('jpeg', 640, 360));
    const first = await jobOf(await send(cat, 'ana'));
    const same = await send(cat, 'ben');
    expect(same).toMatchObject({ kind: 'queued', jobId: first.id }); // joins the identical job
    const fingerprints = new Set([first.data.fingerprint]);
    fingerprints.add((await jobOf(await send(undefined, 'cy'))).data.fingerprint);
    fingerprints.add((await jobOf(await send(dog, 'dee'))).data.fingerprint);
    expect(fingerprints.size).toBe(3);
  });

  it('is refused, with nothing queued or kept, when the model makes clips from text only', async () => {
    const { deps, send } = service(false);
    const reply = await send(imageFromBytes('cat.png', await testPicture('png', 640, 360)));
    expect(reply).toMatchObject({
      kind: 'refused',
      reason: 'invalid-image',
      message: expect.stringContaining('makes clips from text only'),
    });
    expect(await deps.generate.count()).toBe(0);
  });

  it('that is not a picture is refused with what to do, and the user can send a good one next', async () => {
    const { deps, send, jobOf } = service(true);
    const refused = await send(imageFromBytes('notes.png', Buffer.from('just some text, not a picture')));
    expect(refused).toMatchObject({ kind: 'refused', reason: 'invalid-image' });
    expect(await deps.generate.count()).toBe(0);
    await jobOf(await send(imageFromBytes('cat.webp', await testPicture('webp', 320, 240))));
  });
});
