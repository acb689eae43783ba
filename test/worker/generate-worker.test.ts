import { type Job, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts, type SpineParts } from '../../src/app/index.ts';
import type { GenerateJobData, GenerateProgressData } from '../../src/core/index.ts';
import { JobCanceller } from '../../src/jobs/index.ts';
import { OnnxVideoModel } from '../../src/model/index.ts';
import { addFairJob } from '../../src/queue/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { startTestWorker } from '../support/test-spine.ts';

describe('the generate worker on a real queue with the bundled model', () => {
  const redis = useLocalRedis();
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  async function setup(memoryBudgetMB?: number) {
    const prefix = `w${Date.now()}${Math.random()}`.replace('.', '');
    const parts = createSpineParts(redis.client(), { prefix, limits: DEFAULT_ADMISSION_LIMITS });
    const events = new QueueEvents('generate', { connection: redis.client(), prefix });
    await events.waitUntilReady();
    const progress: GenerateProgressData[] = [];
    events.on('progress', ({ data }) => progress.push(data as GenerateProgressData));
    const start = () => startTestWorker(redis, model, parts, memoryBudgetMB);
    const workers: GenerateWorker[] = [await start()];
    /** Adds a job as admission would: with its limiter slot taken, so the test sees it freed. */
    const add = async (jobId: string, data: GenerateJobData): Promise<Job<GenerateJobData>> => {
      await parts.limiter.admit({ tenantId: data.tenantKey, userId: data.userKey, jobId });
      return parts.generate.add('generate', data, { jobId });
    };
    const deliveryOf = async (jobId: string) =>
      (await parts.deliver.get('playground')?.getJob(`deliver-${jobId}`))?.data;
    /** The final reply of a failed job is queued just after BullMQ reports the failure. */
    const finalDelivery = (jobId: string) => waitFor(() => deliveryOf(jobId), 10_000);
    const close = async () => {
      for (const w of workers) await w.close(0);
      await events.close();
      await parts.close();
    };
    return { parts, events, progress, workers, start, add, deliveryOf, finalDelivery, close };
  }

  const waitFor = async <T>(read: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const userIsFree = async (parts: SpineParts, data: GenerateJobData) =>
    (await parts.limiter.admit({ tenantId: data.tenantKey, userId: data.userKey, jobId: 'probe' })).admitted;

  it('renders, stores the MP4 and queues exactly its delivery, reporting progress per step', async () => {
    const { parts, events, progress, add, deliveryOf, close } = await setup();
    const job = await add('job-1', generateJob({ quality: 'low' }));
    const result = await job.waitUntilFinished(events, 120_000);
    expect(result).toMatchObject({ outcome: 'clip', jobId: 'job-1', tier: 'low', seed: 7 });
    expect(await deliveryOf('job-1')).toEqual(result);
    const bytes = await parts.artifacts.get('clip-job-1');
    expect(bytes?.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(progress.at(-1)).toMatchObject({ step: 12, totalSteps: 12, tier: 'low' });
    expect(await parts.cache.lookup('f1')).toEqual({
      kind: 'done',
      clip: { jobId: 'job-1', artifactKey: 'clip-job-1', tier: 'low' },
    });
    await close();
  }, 180_000);

  it('when the memory budget is below the asked tier, then the clip comes out lower and says why', async () => {
    const low = model.tiers.find((t) => t.name === 'low');
    const { events, add, close } = await setup((low?.memoryMB ?? 0) + 1);
    const job = await add('job-1', generateJob({ quality: 'medium', steps: 2 }));
    const result = await job.waitUntilFinished(events, 120_000);
    expect(result.tier).toBe('low');
    expect(result.fallback).toEqual({
      from: 'medium',
      reason: expect.stringMatching(/^not enough memory for medium/),
    });
    await close();
  }, 180_000);

  it('a cancel stops a running job within a step, tells the user, frees the slot and the GPU for the next job', async () => {
    const { parts, events, progress, add, finalDelivery, close } = await setup();
    const data = generateJob({ quality: 'medium', steps: 50 });
    const running = await add('long', data);
    await waitFor(async () => (progress.some((p) => p.step >= 2) ? true : undefined));
    const asked = Date.now();
    expect(await new JobCanceller(parts).cancel('long', data.userKey)).toBe('stopping');
    await expect(running.waitUntilFinished(events, 30_000)).rejects.toThrow(/cancelled/);
    const stoppedAfterMs = Date.now() - asked;
    const stepsDone = Math.max(...progress.map((p) => p.step));
    expect(stepsDone).toBeLessThan(50);
    expect(stoppedAfterMs).toBeLessThan(5_000);
    expect(await finalDelivery('long')).toEqual({
      outcome: 'cancelled',
      jobId: 'long',
      target: data.target,
      prompt: data.prompt,
    });
    expect(await waitFor(async () => ((await userIsFree(parts, data)) ? true : undefined))).toBe(true);
    const next = await add(
      'next',
      generateJob({ quality: 'low', userKey: 'playground:u2', fingerprint: 'f2' }),
    );
    expect(await next.waitUntilFinished(events, 60_000)).toMatchObject({ outcome: 'clip' });
    await close();
  }, 180_000);

  it('a cancel asked for just before the job starts is not lost', async () => {
    const { parts, events, workers, add, finalDelivery, close } = await setup();
    await workers[0]?.worker.pause(true);
    const data = generateJob({ quality: 'low' });
    const job = await add('early', data);
    await parts.cancels.request('early'); // as if the job had just gone active when the bot looked
    workers[0]?.worker.resume();
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/cancelled/);
    expect(await finalDelivery('early')).toMatchObject({ outcome: 'cancelled' });
    await close();
  }, 60_000);

  it('a job the model refuses fails at once, with a reply that says why and no retry', async () => {
    const { parts, events, finalDelivery, close } = await setup();
    const data = generateJob({ quality: 'low', steps: 500 });
    const job = await parts.generate.add('generate', data, { jobId: 'bad', attempts: 3 });
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/steps/);
    expect((await parts.generate.getJob('bad'))?.attemptsMade).toBe(1);
    expect(await finalDelivery('bad')).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/^I can't make that video: .*steps/),
    });
    await close();
  }, 60_000);

  it('at shutdown a job that outlasts the grace time is handed back and finished by the next worker', async () => {
    const { parts, events, progress, workers, start, add, deliveryOf, close } = await setup();
    const job = await add('handed', generateJob({ quality: 'medium', steps: 30 }));
    await waitFor(async () => (progress.some((p) => p.step >= 1) ? true : undefined));
    await workers.shift()?.close(100);
    expect(await job.getState()).toMatch(/^(waiting|prioritized)$/);
    expect(await deliveryOf('handed')).toBeUndefined();
    workers.push(await start());
    expect(await job.waitUntilFinished(events, 120_000)).toMatchObject({ outcome: 'clip', jobId: 'handed' });
    expect(await parts.deliver.get('playground')?.getJobCounts('waiting', 'completed', 'active')).toSatisfy(
      (c: Record<string, number>) => (c.waiting ?? 0) + (c.completed ?? 0) + (c.active ?? 0) === 1,
    );
    await close();
  }, 180_000);

  it("with the real worker, a tenant's one job starts before the third of a busy tenant's ten queued before it", async () => {
    const { parts, events, workers, close } = await setup();
    const started: string[] = [];
    events.on('progress', ({ jobId }) => {
      if (!started.includes(jobId)) started.push(jobId);
    });
    const job = (tenant: string, i: number) =>
      generateJob({
        tenantKey: tenant,
        userKey: `${tenant}-u${i}`,
        fingerprint: `${tenant}${i}`,
        steps: 3,
        seed: i,
      });
    const add = (tenant: string, i: number) =>
      addFairJob(parts.generate, parts.fair, {
        tenantKey: tenant,
        jobId: `${tenant}${i}`,
        name: 'generate',
        data: job(tenant, i),
      });
    await workers[0]?.worker.pause(true);
    for (let i = 1; i <= 10; i++) await add('A', i);
    workers[0]?.worker.resume();
    await waitFor(async () => (started.length > 0 ? true : undefined));
    const b = await add('B', 1);
    await b.waitUntilFinished(events, 60_000);
    await waitFor(async () => (started.includes('A3') ? true : undefined));
    expect(started.indexOf('B1')).toBeLessThan(started.indexOf('A3'));
    await close();
  }, 120_000);
});
