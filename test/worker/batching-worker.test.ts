import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts } from '../../src/app/index.ts';
import type { ClipDelivery } from '../../src/core/index.ts';
import { OnnxVideoModel } from '../../src/model/index.ts';
import { addFairJob } from '../../src/queue/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { CallLog } from '../support/call-log.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { startTestWorker } from '../support/test-spine.ts';

describe('the generate worker with micro-batching, on a real queue with the bundled model', () => {
  const redis = useLocalRedis();
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  /** A worker batching up to 4 jobs; `jobs` are queued in fair order while it is paused, then it runs them. */
  async function runQueued(jobs: { tenant: string; n: number; quality: string }[]) {
    const prefix = `b${Date.now()}${Math.random()}`.replace('.', '');
    const parts = createSpineParts(redis.client(), { prefix, limits: DEFAULT_ADMISSION_LIMITS });
    const events = new QueueEvents('generate', { connection: redis.client(), prefix });
    await events.waitUntilReady();
    const log = new CallLog(model);
    const worker = await startTestWorker(redis, log, parts, undefined, { maxBatch: 4, gatherMs: 3_000 });
    await worker.worker.pause(true);
    const added = [];
    for (const { tenant, n, quality } of jobs) {
      const jobId = `${tenant}${n}`;
      const data = generateJob({
        tenantKey: tenant,
        userKey: `${tenant}-u${n}`,
        fingerprint: jobId,
        prompt: `${jobId} a red ball bouncing`,
        quality,
        steps: 3,
        seed: n,
      });
      added.push(
        await addFairJob(parts.generate, parts.fair, { tenantKey: tenant, jobId, name: 'generate', data }),
      );
    }
    worker.worker.resume();
    const results: ClipDelivery[] = [];
    for (const job of added) results.push(await job.waitUntilFinished(events, 120_000));
    const replies = await parts.deliver.get('playground')?.getJobCounts('waiting', 'completed', 'active');
    await worker.close(0);
    await events.close();
    await parts.close();
    const calls = log.calls.map((call) => call.map((prompt) => prompt.split(' ')[0]));
    return { results, calls, replies };
  }

  it('compatible jobs of four tenants share model calls, and each gets its own clip and one reply', async () => {
    const { results, calls, replies } = await runQueued(
      ['A', 'B', 'C', 'D'].map((tenant) => ({ tenant, n: 1, quality: 'low' })),
    );
    expect(results.map((r) => [r.outcome, r.jobId, r.tier])).toEqual([
      ['clip', 'A1', 'low'],
      ['clip', 'B1', 'low'],
      ['clip', 'C1', 'low'],
      ['clip', 'D1', 'low'],
    ]);
    expect(calls.some((call) => call.length > 1)).toBe(true);
    expect(calls.flat()).toEqual(['A1', 'B1', 'C1', 'D1']);
    expect(Object.values(replies ?? {}).reduce((a, b) => a + b, 0)).toBe(4);
  }, 180_000);

  it("a batch never puts a tenant's job ahead of another tenant's earlier one", async () => {
    // Fair order: A1, B1 (medium), A2. A1 and A2 could share a batch, but only by jumping B1.
    const { results, calls } = await runQueued([
      { tenant: 'A', n: 1, quality: 'low' },
      { tenant: 'B', n: 1, quality: 'medium' },
      { tenant: 'A', n: 2, quality: 'low' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['clip', 'clip', 'clip']);
    expect(calls).toEqual([['A1'], ['B1'], ['A2']]);
  }, 180_000);
});
