// Clips ready before anyone asks: the worker renders configured prompts while idle, and a request
// that names no seed and asks what a warm prompt asks is answered from the cache at once.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShownReply, VideoOptions } from '../../src/core/index.ts';
import { TenantSettingsStore } from '../../src/tenants/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { startTestBot, type TestBot } from '../support/test-spine.ts';
import { startWarmWorker, waitFor } from '../support/warm-worker.ts';

const STAR = 'a pink star spinning at night';

describe('warm prompts', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(prefix: string, tenantDefaultTier?: string) {
    const adapter = new RecordingAdapter();
    const bot: TestBot = await startTestBot(redis, {
      prefix,
      adapters: [adapter],
      manifest: bundled.manifest,
    });
    cleanups.push(() => bot.close());
    // As an admin's /video-admin would: this tenant's plain requests render at its default tier.
    if (tenantDefaultTier)
      await new TenantSettingsStore(bot.parts.redis, {
        keyPrefix: prefix,
        tiers: ['low', 'medium', 'high'],
        logger: pino({ level: 'silent' }),
      }).set('playground:playground', { defaultTier: tenantDefaultTier });
    const started = await startWarmWorker(redis, {
      model: bundled.model,
      manifest: bundled.manifest,
      parts: bot.parts,
      prompts: [
        { prompt: STAR, quality: 'low' },
        { prompt: 'a green circle moving left', tenantKey: 'playground:playground' },
      ],
    });
    cleanups.push(() => started.worker.close(0));
    let asked = 0;
    /** Asks as the playground does; resolves with the first reply and how long it took. */
    const ask = async (prompt: string, options: VideoOptions = {}) => {
      const id = `r${++asked}`;
      const at = Date.now();
      await bot.bot.handler.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'playground', id: 'playground' },
          user: { id: `u${asked}` },
          channelId: 'c1',
          prompt,
          options,
          receivedAt: at,
          uploadLimitBytes: 8 * 1024 * 1024,
        },
        messageTarget(id),
      );
      const first = await waitFor(() => adapter.rendered.find((r) => r.target.replyId === id));
      return { reply: first.reply as ShownReply, ms: first.at - at };
    };
    return { bot, ask, ...started };
  }

  it('a warm prompt is rendered while the worker is idle, and a plain request for it gets the clip in ≤ 50 ms', async () => {
    const { bot, ask, warmRenders } = await setup(`wh${Date.now()}`, 'low');
    await waitFor(async () => ((await warmRenders('done')) >= 2 ? true : undefined));
    expect(await bot.parts.generate.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });

    const times: number[] = [];
    // Cleaned like any prompt (spaces collapsed) before it is matched.
    for (const prompt of [STAR, `  a pink  star spinning at night `, STAR, STAR, STAR]) {
      const { reply, ms } = await ask(prompt, { quality: 'low' });
      expect(reply).toMatchObject({ kind: 'done', jobId: expect.stringMatching(/^warm-/) });
      if (reply.kind === 'done')
        expect(Buffer.from(reply.clip.bytes.subarray(4, 8)).toString('latin1')).toBe('ftyp');
      times.push(ms);
    }
    // The tenant's prompt with no options at all: its default tier (low) is what the warm clip has.
    const plain = await ask('a green circle moving left');
    expect(plain.reply).toMatchObject({ kind: 'done', jobId: expect.stringMatching(/^warm-/) });
    if (plain.reply.kind === 'done') expect(plain.reply.clip.tier).toBe('low');
    times.push(plain.ms);
    console.info(`warm hits answered in ${times.join(', ')} ms`);
    expect(Math.max(...times)).toBeLessThanOrEqual(50);
    // Nothing was queued for them.
    expect(await bot.parts.generate.getJobCounts()).toMatchObject({ waiting: 0, prioritized: 0, active: 0 });
  }, 120_000);

  it('a request that names a seed or asks anything else is not answered by the warm clip', async () => {
    const { bot, ask, worker, warmRenders } = await setup(`wm${Date.now()}`);
    await waitFor(async () => ((await warmRenders('done')) >= 1 ? true : undefined));
    await worker.worker.pause(true); // no need to render what is asked here
    for (const options of [
      { quality: 'low', seed: 3 },
      { quality: 'medium' },
      { quality: 'low', caption: 'Happy birthday!' },
      { quality: 'low', steps: 4 },
      { quality: 'low', negativePrompt: 'blue' },
    ] satisfies VideoOptions[]) {
      const { reply } = await ask(STAR, options);
      expect(reply.kind, JSON.stringify(options)).toBe('queued');
    }
    expect((await ask('a pink star spinning at noon', { quality: 'low' })).reply.kind).toBe('queued');
    // No tenant default here: the tenant's plain prompt was warmed at auto, so quality low is another clip.
    expect((await ask('a green circle moving left', { quality: 'low' })).reply.kind).toBe('queued');
    // Each one queued a job (the paused worker may still have taken the first it was fetching).
    expect(await bot.parts.generate.getJobCountByTypes('waiting', 'prioritized', 'active')).toBe(7);
  }, 120_000);
});
