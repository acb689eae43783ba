// The /video use case answers a request that names no seed from the warm cache, and counts it.
import { describe, expect, it } from 'vitest';
import { clipFingerprint, clipIdentityOf, seedlessFingerprint } from '../../src/admission/index.ts';
import { VideoService } from '../../src/app/index.ts';
import { createBotMetrics } from '../../src/bot/bot-metrics.ts';
import type { Reply, VideoOptions } from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget } from '../support/recording-adapter.ts';
import { videoServiceDeps } from '../support/video-service-deps.ts';

describe('warm hits', () => {
  const redis = useLocalRedis();

  it('a plain request matching a warm clip is answered with it and counted by platform; its seed finds it in the clip cache; a smaller upload limit does not match', async () => {
    const prefix = `wm${Date.now()}`;
    const replies: Reply[] = [];
    const metrics = createBotMetrics();
    const deps = videoServiceDeps(redis.client(), prefix, {
      show: async (_t, reply) => void replies.push(reply),
    });
    const video = new VideoService({ ...deps, onWarmHit: (platform) => metrics.warmHits.inc({ platform }) });
    // A warm clip as the worker stores it: an MP4 of 2 kB, rendered with seed 42 at quality low.
    await deps.artifacts.put('clip-warm-1', Buffer.alloc(2_000, 1));
    const identity = clipIdentityOf(
      { prompt: 'a pink star spinning at night', negativePrompt: '', quality: 'low', seed: 42 },
      deps.modelName,
      10 * 1024 * 1024,
    );
    await deps.cache.warm.finish(seedlessFingerprint(identity), clipFingerprint(identity), {
      clip: { jobId: 'warm-1', artifactKey: 'clip-warm-1', tier: 'low' },
      seed: 42,
      bytes: 2_000,
    });
    const ask = async (id: string, options: VideoOptions, uploadLimitBytes = 8 * 1024 * 1024) => {
      await video.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'playground', id: 'playground' },
          user: { id: `u-${id}` },
          channelId: 'c1',
          prompt: 'a pink star spinning at night',
          options,
          receivedAt: Date.now(),
          uploadLimitBytes,
        },
        messageTarget(id),
      );
      return replies.at(-1);
    };
    const hits = async () =>
      (await metrics.warmHits.get()).values.find((v) => v.labels.platform === 'playground')?.value;

    expect(await ask('a', { quality: 'low' })).toMatchObject({
      kind: 'done',
      jobId: 'warm-1',
      clip: { seed: 42, tier: 'low', fileName: 'clipbot-42.mp4', elapsedMs: 0 },
    });
    expect(await hits()).toBe(1);
    // Naming the seed it was made with finds the same clip through the ordinary clip cache.
    expect(await ask('b', { quality: 'low', seed: 42 }, 10 * 1024 * 1024)).toMatchObject({
      kind: 'done',
      jobId: 'warm-1',
    });
    expect(await hits()).toBe(1);
    // A requester whose upload limit the clip would exceed gets a clip made for them.
    expect(await ask('c', { quality: 'low' }, 1_000)).toMatchObject({ kind: 'queued' });
    expect(await hits()).toBe(1);
    await deps.generate.close();
  });
});
