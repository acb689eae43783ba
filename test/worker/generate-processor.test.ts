import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { DeliverJobData, GenerateJobData } from '../../src/core/index.ts';
import { RunTimeAverage } from '../../src/queue/index.ts';
import { createGenerateProcessor } from '../../worker/generate-processor.ts';
import { OnnxVideoModel } from '../../worker/pipeline/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('the generate processor on a real queue with the bundled model', () => {
  const redis = useLocalRedis();
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  async function runOne(data: GenerateJobData, memoryBudgetMB?: number) {
    const prefix = `p${Date.now()}${Math.random()}`;
    const connection = redis.client();
    const generate = new Queue<GenerateJobData>('generate', { connection, prefix });
    const deliver = new Queue<DeliverJobData>('deliver', { connection, prefix });
    const events = new QueueEvents('generate', { connection: redis.client(), prefix });
    await events.waitUntilReady();
    const artifacts = new RedisArtifactStore(connection, 60_000, `${prefix}:artifact:`);
    const progress: unknown[] = [];
    events.on('progress', ({ data: p }) => progress.push(p));
    const worker = new Worker<GenerateJobData>(
      'generate',
      createGenerateProcessor({
        model,
        artifacts,
        deliver,
        runTimes: new RunTimeAverage(connection, `${prefix}:avg`, 5000),
        logger: pino({ level: 'silent' }),
        memoryBudgetMB,
        progressIntervalMs: 0,
      }),
      { connection: redis.client(), prefix, concurrency: 1 },
    );
    const added: Job<GenerateJobData> = await generate.add('generate', data, { jobId: 'job-1' });
    const result = (await added.waitUntilFinished(events, 120_000)) as DeliverJobData;
    await worker.close();
    const delivery = await deliver.getJob('deliver-job-1');
    const bytes = await artifacts.get(result.artifactKey);
    await events.close();
    return { result, delivery, bytes, progress };
  }

  it('renders, stores the MP4 and enqueues exactly its delivery, reporting progress per step', async () => {
    const { result, delivery, bytes, progress } = await runOne(generateJob({ quality: 'low' }));
    expect(result).toMatchObject({ jobId: 'job-1', tier: 'low', seed: 7, artifactKey: 'clip-job-1' });
    expect(result.fallback).toBeUndefined();
    expect(delivery?.data).toEqual(result);
    expect(bytes?.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(progress.at(-1)).toMatchObject({ step: 12, totalSteps: 12, tier: 'low' });
  }, 180_000);

  it('when the memory budget is below the asked tier, then the clip comes out lower and says why', async () => {
    const low = model.tiers.find((t) => t.name === 'low');
    const { result } = await runOne(generateJob({ quality: 'medium', steps: 2 }), (low?.memoryMB ?? 0) + 1);
    expect(result.tier).toBe('low');
    expect(result.fallback).toEqual({
      from: 'medium',
      reason: expect.stringMatching(/^not enough memory for medium/),
    });
  }, 180_000);
});
