import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, VideoRequest } from '../../src/core/index.ts';
import { type LoadedManifest, loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { childrenOf } from '../support/child-processes.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';
import { startTestBot, type TestBot } from '../support/test-spine.ts';
import { readyPort, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/** Short locks, so a killed worker's job is found stalled within seconds instead of 30 s. */
const LOCK_MS = 2_000;

describe('crash safety: the worker process killed with SIGKILL mid-job', () => {
  const redis = useLocalRedis();
  let manifest: LoadedManifest['manifest'];
  const running: WorkerProcess[] = [];
  const bots: TestBot[] = [];
  beforeAll(async () => {
    manifest = (await loadManifest(BUNDLED_MANIFEST)).manifest;
  });
  afterEach(async () => {
    for (const w of running.splice(0)) w.child.kill('SIGKILL');
    for (const b of bots.splice(0)) await b.close();
  });

  async function setup() {
    const prefix = `c${Date.now()}`;
    const adapter = new RecordingAdapter();
    const started = await startTestBot(redis, { prefix, adapters: [adapter], manifest });
    bots.push(started);
    const { parts, bot } = started;
    const startWorker = async () => {
      const worker = startWorkerProcess({
        REDIS_URL: redis.url(),
        CLIPBOT_KEY_PREFIX: prefix,
        CLIPBOT_WORKER_PORT: '0',
        CLIPBOT_WORKER_LOCK_MS: String(LOCK_MS),
        CLIPBOT_THREADS: '1',
      });
      running.push(worker);
      await readyPort(worker.output);
      return worker;
    };
    const request: VideoRequest = {
      requestId: 'r1',
      tenant: { platform: 'playground', id: 'playground' },
      user: { id: 'u1' },
      channelId: 'c1',
      prompt: 'a purple square drifts to the right',
      options: { quality: 'medium', steps: 40, seed: 11 },
      receivedAt: Date.now(),
      uploadLimitBytes: 10 * 1024 * 1024,
    };
    const replies = (): Reply[] => adapter.rendered.map((r) => r.reply);
    const until = async (check: () => boolean, what: string, ms = 90_000) => {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end)
          throw new Error(
            `timed out waiting for ${what}; replies: ${JSON.stringify(replies().map((r) => r.kind))}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const runningSteps = () => replies().filter((r) => r.kind === 'running').length;
    const finals = (): Reply[] => replies().filter((r) => r.kind !== 'queued' && r.kind !== 'running');
    /** Waits until the current worker is visibly mid-job, then kills it without warning. */
    const killMidJob = async (worker: WorkerProcess) => {
      const before = runningSteps();
      await until(() => runningSteps() >= before + 2, 'progress from the worker');
      worker.child.kill('SIGKILL');
      await worker.exited;
    };
    /** Waits until the worker's model is visibly mid-job, then kills the model's process alone. */
    const killModelMidJob = async (worker: WorkerProcess) => {
      const before = runningSteps();
      await until(() => runningSteps() >= before + 2, 'progress from the worker');
      // The worker's one node child (its others are the ffmpeg it starts for each clip).
      const model = (await childrenOf(worker.child.pid)).find((child) => child.name === 'node');
      process.kill(model?.pid as number, 'SIGKILL');
    };
    return { parts, bot, startWorker, request, replies, finals, until, killMidJob, killModelMidJob };
  }

  it('the job is rerun by the next worker and the user gets exactly one final reply', async () => {
    const { parts, bot, startWorker, request, replies, finals, until, killMidJob } = await setup();
    await bot.handler.onVideoRequest(request, messageTarget('m1'));
    await killMidJob(await startWorker());
    await startWorker();
    await until(() => replies().some((r) => r.kind === 'done'), 'the clip');
    await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate, were there one
    expect(finals()).toHaveLength(1);
    expect(finals()[0]).toMatchObject({ kind: 'done', clip: { seed: 11, tier: 'medium' } });
    expect(await parts.deliver.get('playground')?.getJobCounts('completed')).toEqual({ completed: 1 });
  }, 180_000);

  it("the model's process killed mid-job: the worker starts it again and reruns the job, one final reply", async () => {
    const { bot, startWorker, request, replies, finals, until, killModelMidJob } = await setup();
    await bot.handler.onVideoRequest(request, messageTarget('m1'));
    const worker = await startWorker();
    await killModelMidJob(worker);
    await until(() => replies().some((r) => r.kind === 'done'), 'the clip');
    await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate, were there one
    expect(finals()).toEqual([
      expect.objectContaining({ kind: 'done', clip: expect.objectContaining({ seed: 11 }) }),
    ]);
    expect(worker.output()).toMatch(/the model stopped while it held the job; back to the queue/);
    expect(worker.child.exitCode).toBeNull();
  }, 180_000);

  it('a job whose model process dies twice ends in one clear failure reply; the worker goes on', async () => {
    const { bot, startWorker, request, replies, finals, until, killModelMidJob } = await setup();
    await bot.handler.onVideoRequest(request, messageTarget('m1'));
    const worker = await startWorker();
    await killModelMidJob(worker);
    await killModelMidJob(worker);
    await until(() => replies().some((r) => r.kind === 'failed'), 'the failure reply');
    expect(finals()).toEqual([
      expect.objectContaining({
        kind: 'failed',
        message: expect.stringMatching(/model stopped unexpectedly/),
      }),
    ]);
    // The next request is made by the same worker, once its model is back.
    await bot.handler.onVideoRequest(
      { ...request, requestId: 'r2', options: { quality: 'low', steps: 4, seed: 12 } },
      messageTarget('m2'),
    );
    await until(() => replies().some((r) => r.kind === 'done'), 'the next clip');
    expect(worker.child.exitCode).toBeNull();
  }, 180_000);

  it('a job that keeps killing its workers ends in one clear failure reply, and the user may ask again', async () => {
    const { parts, bot, startWorker, request, replies, finals, until, killMidJob } = await setup();
    await bot.handler.onVideoRequest(request, messageTarget('m1'));
    // maxStalledCount is 2: the third stall fails the job for good.
    for (let crash = 0; crash < 3; crash++) await killMidJob(await startWorker());
    await startWorker(); // its stalled-job check finds the third stall
    await until(() => replies().some((r) => r.kind === 'failed'), 'the failure reply');
    expect(finals()).toEqual([
      expect.objectContaining({ kind: 'failed', message: expect.stringMatching(/stopped unexpectedly/) }),
    ]);
    const again = await parts.limiter.admit({
      tenantId: 'playground:playground',
      userId: 'playground:u1',
      jobId: 'again',
    });
    expect(again.admitted).toBe(true);
  }, 240_000);
});
