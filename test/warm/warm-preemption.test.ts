// Warming uses only idle time: a job that arrives mid-render takes the model within a step, and warm
// clips are rendered again before they expire.
import { QueueEvents } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clipIdentityOf,
  DEFAULT_ADMISSION_LIMITS,
  seedlessFingerprint,
  type WarmClip,
} from '../../src/admission/index.ts';
import { createSpineParts, type SpineParts } from '../../src/app/index.ts';
import { addFairJob } from '../../src/queue/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { startWarmWorker, TimedModel, waitFor } from '../support/warm-worker.ts';

const STAR = 'a pink star spinning at night';

describe('warming in the worker', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const spine = (options: { artifactTtlMs?: number } = {}): SpineParts => {
    const prefix = `wp${Date.now()}${Math.random()}`.replace('.', '');
    const parts = createSpineParts(redis.client(), { prefix, limits: DEFAULT_ADMISSION_LIMITS, ...options });
    cleanups.push(() => parts.close());
    return parts;
  };

  it('when a user job arrives mid-render, the warm render gives way within a step and is made after the job', async () => {
    const parts = spine();
    const model = new TimedModel(bundled.model);
    const { worker, warmRenders } = await startWarmWorker(redis, {
      model,
      manifest: bundled.manifest,
      parts,
      prompts: [{ prompt: STAR, quality: 'medium' }],
    });
    cleanups.push(() => worker.close(0));
    const events = new QueueEvents('generate', { connection: redis.client(), prefix: parts.prefix });
    cleanups.push(() => events.close());
    await events.waitUntilReady();

    const warmRun = await waitFor(() => model.seen.find((g) => g.prompt === STAR && g.steps.length >= 2));
    const data = generateJob({ prompt: 'a red ball bouncing on a white background', quality: 'low' });
    await parts.limiter.admit({ tenantId: data.tenantKey, userId: data.userKey, jobId: 'user-1' });
    const job = await addFairJob(parts.generate, parts.fair, {
      tenantKey: data.tenantKey,
      jobId: 'user-1',
      name: 'generate',
      data,
    });
    expect(await job.waitUntilFinished(events, 60_000)).toMatchObject({ outcome: 'clip', tier: 'low' });

    const userRun = model.seen.find((g) => g.prompt === data.prompt);
    const processedOn = (await parts.generate.getJob('user-1'))?.processedOn ?? 0;
    if (!userRun || warmRun.endedAt === undefined) throw new Error('both runs should be seen');
    // The warm render stopped (unfinished) before the user's generation got the model.
    expect(warmRun.outcome).toBe('error');
    expect(warmRun.steps.length).toBeLessThan(16);
    expect(warmRun.endedAt).toBeLessThanOrEqual(userRun.startedAt);
    expect(await warmRenders('gave-way')).toBe(1);
    const stepMs = Math.max(...warmRun.steps.slice(1).map((at, i) => at - (warmRun.steps[i] ?? at)));
    const waitedMs = userRun.startedAt - processedOn;

    // The warm clip is made once the worker is idle again, after the job.
    await waitFor(async () => ((await warmRenders('done')) >= 1 ? true : undefined));
    const retried = model.seen.filter((g) => g.prompt === STAR).at(-1);
    expect(retried?.outcome).toBe('done');
    expect(retried?.startedAt).toBeGreaterThanOrEqual(userRun.endedAt ?? Number.POSITIVE_INFINITY);

    // The same wait with nothing to give way to (the warm clip is fresh): the job's own start-up.
    const calm = generateJob({
      prompt: 'a blue square sliding right',
      quality: 'low',
      userKey: 'playground:u2',
    });
    await parts.limiter.admit({ tenantId: calm.tenantKey, userId: calm.userKey, jobId: 'user-2' });
    const calmJob = await addFairJob(parts.generate, parts.fair, {
      tenantKey: calm.tenantKey,
      jobId: 'user-2',
      name: 'generate',
      data: calm,
    });
    await calmJob.waitUntilFinished(events, 60_000);
    const calmRun = model.seen.find((g) => g.prompt === calm.prompt);
    const calmWaitedMs =
      (calmRun?.startedAt ?? 0) - ((await parts.generate.getJob('user-2'))?.processedOn ?? 0);
    console.info(
      `from the worker taking the job to its generation: ${waitedMs} ms while warming, ${calmWaitedMs} ms without (a warm step: ${stepMs} ms)`,
    );
    // Delayed by the rest of the warm step under way when the worker took the job, no more: the
    // warm render stopped at the next step boundary and the model went to the job at once.
    expect(warmRun.steps.filter((at) => at > processedOn).length).toBeLessThanOrEqual(1);
    expect(userRun.startedAt - warmRun.endedAt).toBeLessThanOrEqual(50);
    expect(waitedMs).toBeLessThanOrEqual(calmWaitedMs + stepMs + 50);
  }, 120_000);

  it('nothing is warmed while a user job waits or the worker holds one', async () => {
    const parts = spine();
    const model = new TimedModel(bundled.model);
    // A user job already queued before the worker starts: it runs first, the warm render after.
    const data = generateJob({ quality: 'low' });
    await addFairJob(parts.generate, parts.fair, {
      tenantKey: data.tenantKey,
      jobId: 'u',
      name: 'generate',
      data,
    });
    const { worker, warmRenders } = await startWarmWorker(redis, {
      model,
      manifest: bundled.manifest,
      parts,
      prompts: [{ prompt: STAR, quality: 'low' }],
    });
    cleanups.push(() => worker.close(0));
    await waitFor(async () => ((await warmRenders('done')) >= 1 ? true : undefined));
    const [userRun, warmRun] = model.seen;
    expect([userRun?.prompt, warmRun?.prompt]).toEqual([data.prompt, STAR]);
    expect(warmRun?.startedAt).toBeGreaterThanOrEqual(userRun?.endedAt ?? Number.POSITIVE_INFINITY);
  }, 120_000);

  it('a warm clip is rendered again before its cache entry expires, so it never stops answering', async () => {
    const ttlMs = 6_000;
    const parts = spine({ artifactTtlMs: ttlMs });
    const { worker } = await startWarmWorker(redis, {
      model: bundled.model,
      manifest: bundled.manifest,
      parts,
      prompts: [STAR].map((prompt) => ({ prompt, quality: 'low' })),
      refreshBeforeMs: 3_000,
    });
    cleanups.push(() => worker.close(0));
    // The key admission computes for a plain request asking quality low.
    const identity = clipIdentityOf(
      { prompt: STAR, negativePrompt: '', quality: 'low', seed: 0 },
      bundled.model.name,
      10 * 1024 * 1024,
    );
    const key = seedlessFingerprint(identity);
    const lookup = () => parts.cache.warm.lookup(key, 8 * 1024 * 1024);
    const first = await waitFor(lookup);
    const firstAt = Date.now();
    let next: WarmClip | undefined;
    while (!next) {
      const now = await lookup();
      expect(now, 'the warm clip never stops answering').toBeDefined();
      if (now && now.clip.jobId !== first.clip.jobId) next = now;
      expect(Date.now() - firstAt).toBeLessThan(ttlMs);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await parts.artifacts.get(next.clip.artifactKey)).not.toBeNull();
    expect(await parts.cache.warm.timeLeftMs(key)).toBeGreaterThan(ttlMs - 1_000);
  }, 120_000);
});
