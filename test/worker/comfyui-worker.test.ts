// The real worker with the ComfyUI backend, through the real queue and bot core, against local fakes
// of ComfyUI: progress, cancel, out-of-memory fallback, a server restart, two servers on one queue,
// and a picture attached to the request uploaded into the workflow's start image.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { imageFromBytes, type ShownReply, type VideoRequest } from '../../src/core/index.ts';
import { JobCanceller } from '../../src/jobs/index.ts';
import { type ComfyManifest, ComfyVideoModel, loadManifest } from '../../src/model/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { FakeComfyUI } from '../support/fake-comfyui/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { testPicture } from '../support/test-images.ts';
import { startTestBot, startTestWorker, type TestBot } from '../support/test-spine.ts';

const WAN = 'models/wan2.2-ti2v-5b/model.json';
const FINAL = new Set(['done', 'refused', 'failed', 'cancelled']);

describe('the worker with a ComfyUI backend', () => {
  const redis = useLocalRedis();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function stack(servers = 1, fakeOptions: Parameters<typeof FakeComfyUI.start>[0] = {}) {
    const { manifest } = await loadManifest(WAN);
    const adapter = new RecordingAdapter();
    const bot: TestBot = await startTestBot(redis, {
      prefix: `comfy${Date.now()}${Math.random().toString(36).slice(2, 6)}`,
      adapters: [adapter],
      manifest,
    });
    cleanups.push(() => bot.close());
    const fakes: FakeComfyUI[] = [];
    const workers: GenerateWorker[] = [];
    for (let i = 0; i < servers; i++) {
      const fake = await FakeComfyUI.start({ cache: false, stepMs: 20, ...fakeOptions });
      cleanups.push(() => fake.stop());
      const model = await ComfyVideoModel.load(WAN, { url: fake.url, reconnectMs: 1_500 });
      const worker = await startTestWorker(redis, model, bot.parts);
      cleanups.push(() => worker.close(0));
      fakes.push(fake);
      workers.push(worker);
    }
    let n = 0;
    const ask = async (
      options: VideoRequest['options'],
      tenant = 'playground',
      image?: VideoRequest['image'],
    ): Promise<string> => {
      const id = `r${++n}-${tenant}`;
      await bot.bot.handler.onVideoRequest(
        {
          requestId: id,
          tenant: { platform: 'playground', id: tenant },
          user: { id: `u-${id}` },
          channelId: 'c1',
          prompt: 'a red sports car speeding through a desert at sunset',
          options: { seed: n, ...options },
          receivedAt: Date.now(),
          uploadLimitBytes: 8 * 1024 * 1024,
          ...(image ? { image } : {}),
        },
        messageTarget(id),
      );
      return id;
    };
    const replies = (id: string) =>
      adapter.rendered.filter((r) => r.target.replyId === id).map((r) => r.reply);
    const final = async (id: string, timeoutMs = 60_000): Promise<ShownReply> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const last = replies(id).at(-1);
        if (last && FINAL.has(last.kind)) return last;
        if (Date.now() > end)
          throw new Error(`no final reply for ${id}: ${JSON.stringify(replies(id).map((r) => r.kind))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    return { manifest: manifest as ComfyManifest, bot, fakes, workers, ask, replies, final };
  }

  it('makes the clip on the server: progress reaches the reply step by step, and the MP4 fits the upload limit', async () => {
    const { fakes, ask, replies, final } = await stack(1, { stepMs: 60 });
    const id = await ask({ quality: 'low', steps: 8 });
    const done = await final(id);
    if (done.kind !== 'done') throw new Error(`expected a clip, got ${JSON.stringify(done)}`);
    const steps = replies(id).flatMap((r) => (r.kind === 'running' ? [r.step] : []));
    expect(steps.length).toBeGreaterThan(2);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(done.clip.tier).toBe('low');
    expect(Buffer.from(done.clip.bytes).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(done.clip.bytes.byteLength).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(fakes[0]?.runs()).toHaveLength(1);
  }, 60_000);

  it('an attached picture is uploaded to the server and wired to the start image; the same prompt without it is another clip', async () => {
    const { fakes, ask, final } = await stack();
    const cat = await testPicture('jpeg', 800, 600);
    const first = await final(
      await ask({ quality: 'low', steps: 4, seed: 5 }, 'playground', imageFromBytes('cat.jpg', cat)),
    );
    expect(first).toMatchObject({ kind: 'done' });
    const run = fakes[0]?.runs()[0];
    expect(run?.startImage?.node).toBeDefined();
    expect(run?.startImage?.image).toMatch(/^clipbot-[0-9a-f]{16}\.jpg$/);
    expect((await readFile(run?.startImage?.file ?? '')).equals(cat)).toBe(true);
    // The same prompt and seed from a text alone is made anew, from no picture.
    const plain = await final(await ask({ quality: 'low', steps: 4, seed: 5 }));
    expect(plain).toMatchObject({ kind: 'done' });
    expect(fakes[0]?.runs()).toHaveLength(2);
    expect(fakes[0]?.runs()[1]?.startImage).toBeUndefined();
  }, 60_000);

  it('a cancel interrupts the job on the server and ends the reply cancelled', async () => {
    const { bot, fakes, ask, replies, final } = await stack(1, { stepMs: 150 });
    const id = await ask({ quality: 'low', steps: 30 });
    const start = Date.now();
    while (!replies(id).some((r) => r.kind === 'running') && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 25));
    const record = await bot.parts.generate.getJobs(['active']);
    const job = record[0];
    if (!job?.id) throw new Error('no running job');
    expect(await new JobCanceller(bot.parts).cancel(job.id, job.data.userKey)).toBe('stopping');
    expect(await final(id)).toMatchObject({ kind: 'cancelled' });
    await fakes[0]?.waitFor(() => fakes[0]?.runs()[0]?.outcome === 'interrupted');
  }, 60_000);

  it('out of memory on the server drops one tier and retries, and the reply says so', async () => {
    const { fakes, ask, final } = await stack();
    fakes[0]?.failNext('oom');
    const done = await final(await ask({ quality: '480p', steps: 4 }));
    expect(done).toMatchObject({ kind: 'done', clip: { tier: 'low', fallback: { from: '480p' } } });
    expect(done.kind === 'done' && done.clip.fallback?.reason).toMatch(/memory/i);
    expect(fakes[0]?.runs().map((r) => r.outcome)).toEqual(['error', 'success']);
  }, 90_000);

  it('a server restart mid-job ends in one clear failure reply, never a hung job', async () => {
    const { fakes, ask, replies, final } = await stack(1, { stepMs: 100 });
    const id = await ask({ quality: 'low', steps: 30 });
    const start = Date.now();
    while (!replies(id).some((r) => r.kind === 'running') && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 25));
    await fakes[0]?.restart({ downMs: 300 });
    const failed = await final(id);
    expect(failed).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('video server is not answering'),
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(replies(id).filter((r) => FINAL.has(r.kind))).toHaveLength(1);
  }, 60_000);

  it('two workers on two servers share one queue: both work, and tenants take turns', async () => {
    const { fakes, ask, final, bot } = await stack(2, { stepMs: 30 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await ask({ quality: 'low', steps: 4 }, 'busy'));
    ids.push(await ask({ quality: 'low', steps: 4 }, 'quiet'));
    for (const id of ids) expect(await final(id)).toMatchObject({ kind: 'done' });
    expect(fakes.map((f) => f.runs().length).every((n) => n >= 2)).toBe(true);
    expect(fakes.reduce((sum, f) => sum + f.runs().length, 0)).toBe(9);
    // Each worker holds two jobs (one renders while the other encodes), so four busy jobs were taken
    // before the quiet tenant asked; its one job still starts before the busy tenant's last three.
    const jobs = await bot.parts.generate.getJobs(['completed']);
    const started = jobs
      .sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0))
      .map((j) => j.data.tenantKey);
    expect(started.indexOf('playground:quiet')).toBeLessThan(6);
  }, 90_000);
});
