import { describe, expect, it } from 'vitest';
import type { ReplyTarget } from '../../src/core/index.ts';
import { joinedTargetsKey } from '../../src/delivery/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { startTestBot } from '../support/test-spine.ts';

describe('final replies with one bot process per platform', () => {
  const redis = useLocalRedis();

  it('each bot posts only its own platform’s replies, once, even for a job joined across platforms', async () => {
    const prefix = `pd${Date.now()}`;
    const { manifest } = await loadManifest(BUNDLED_MANIFEST);
    const discord = new RecordingAdapter('discord');
    const playground = new RecordingAdapter('playground');
    const discordBot = await startTestBot(redis, { prefix, adapters: [discord], manifest });
    const playgroundBot = await startTestBot(redis, { prefix, adapters: [playground], manifest });
    try {
      const requester: ReplyTarget = messageTarget('i1', 'discord');
      const joiner: ReplyTarget = messageTarget('m9');
      await discordBot.parts.redis.rpush(joinedTargetsKey(prefix, 'job-x'), JSON.stringify(joiner));
      await discordBot.parts.endings.cancelled('job-x', generateJob({ target: requester }));
      // A second ending of the same job (a rerun after a crash) must not post again.
      await playgroundBot.parts.endings.cancelled('job-x', generateJob({ target: requester }));
      const deadline = Date.now() + 10_000;
      while ((discord.rendered.length === 0 || playground.rendered.length === 0) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(discord.rendered.map((r) => [r.target, r.reply.kind])).toEqual([[requester, 'cancelled']]);
      expect(playground.rendered.map((r) => [r.target, r.reply.kind])).toEqual([[joiner, 'cancelled']]);
    } finally {
      await discordBot.close();
      await playgroundBot.close();
    }
  });
});
