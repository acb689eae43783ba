import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchItem,
  type GeneratedVideo,
  OnnxVideoModel,
  PipelineErrorCode,
} from '../../src/model/index.ts';
import { BatchingModel } from '../../worker/batching-model.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { CallLog } from '../support/call-log.ts';

describe('BatchingModel over the bundled model', () => {
  let inner: OnnxVideoModel;
  beforeAll(async () => {
    inner = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => inner.dispose());

  /** A job of `tier` named `name` (its prompt), at `order` in the fair queue. */
  const job = (name: string, order: number, tier = 'low', seed = order): BatchItem => ({
    request: { prompt: `${name} a red ball bouncing`, seed, steps: 3, tier, guidance: 2 + order },
    options: { queueOrder: [order, 0] },
  });
  /** Starts job X and resolves once it runs, so the jobs queued next wait behind it together. */
  const startBlocker = async (model: BatchingModel) => {
    let running = () => {};
    const started = new Promise<void>((resolve) => {
      running = resolve;
    });
    const done = model.generate(job('X', 0).request, { ...job('X', 0).options, onProgress: () => running() });
    await started;
    return done;
  };
  const names = (calls: string[][]) => calls.map((call) => call.map((prompt) => prompt.split(' ')[0]));
  const pixels = (video: GeneratedVideo) =>
    video.frames.frames.map((frame) => Buffer.from(frame).toString('base64'));

  it('batch off: one generation at a time in arrival order, and a cancelled waiter leaves the line at once', async () => {
    const model = new BatchingModel(inner, { maxBatch: 1, gatherMs: 0 });
    const steps: string[] = [];
    const run = (name: string, signal?: AbortSignal) =>
      model.generate(
        { prompt: 'a red ball', seed: 1, steps: 3, tier: 'low' },
        { signal, onProgress: (p) => steps.push(`${name}${p.step}`) },
      );
    const cancel = new AbortController();
    const first = run('a');
    const cancelled = run('b', cancel.signal);
    const third = run('c');
    cancel.abort();
    await expect(cancelled).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
    await Promise.all([first, third]);
    expect(steps).toEqual(['a1', 'a2', 'a3', 'c1', 'c2', 'c3']);
  }, 60_000);

  it('a batch gives each job the frames it gets alone, for the same seed and its own guidance', async () => {
    const items = [job('A', 1), job('B', 2), job('C', 3)];
    const alone = [];
    for (const item of items) alone.push(pixels(await inner.generate(item.request)));
    const together = await Promise.all(inner.generateBatch(items));
    expect(together.map(pixels)).toEqual(alone);
    expect(together.map((video) => video.seed)).toEqual([1, 2, 3]);
  }, 60_000);

  it('takes jobs in fair order and batches only the compatible run at its front: a batch never jumps a job', async () => {
    const log = new CallLog(inner);
    const model = new BatchingModel(log, { maxBatch: 4, gatherMs: 0 });
    const blocker = await startBlocker(model);
    // Queued behind the blocker, out of fair order: A1, B1 (medium), A2, then C1 and D1 at low.
    const later = [job('A2', 3), job('B1', 2, 'medium'), job('A1', 1), job('D1', 5), job('C1', 4)];
    const done = later.map((item) => model.generate(item.request, item.options));
    await Promise.all([blocker, ...done]);
    expect(names(log.calls)).toEqual([['X'], ['A1'], ['B1'], ['A2', 'C1', 'D1']]);
  }, 60_000);

  it('a job cancelled in a batch leaves it at the next step; the others finish with their own frames', async () => {
    const model = new BatchingModel(inner, { maxBatch: 4, gatherMs: 0 });
    const cancel = new AbortController();
    const steps: string[] = [];
    const items = [job('A', 1), job('B', 2), job('C', 3)].map((item, i) => ({
      ...item,
      options: {
        ...item.options,
        ...(i === 1 ? { signal: cancel.signal } : {}),
        onProgress: ({ step }: { step: number }) => {
          steps.push(`${'ABC'[i]}${step}`);
          if (i === 1 && step === 1) cancel.abort();
        },
      },
    }));
    const results = await Promise.allSettled(items.map((item) => model.generate(item.request, item.options)));
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: PipelineErrorCode.Aborted } });
    expect(steps).toEqual(['A1', 'B1', 'C1', 'A2', 'C2', 'A3', 'C3']);
    const alone = pixels(await inner.generate(job('C', 3).request));
    expect(results[2]).toMatchObject({ status: 'fulfilled' });
    expect(pixels((results[2] as PromiseFulfilledResult<GeneratedVideo>).value)).toEqual(alone);
  }, 60_000);

  it('out of memory splits a batch in halves before any job drops a tier; one job alone gets the error', async () => {
    const log = new CallLog(inner, 2);
    const model = new BatchingModel(log, { maxBatch: 4, gatherMs: 0 });
    const blocker = await startBlocker(model);
    const done = ['A', 'B', 'C', 'D'].map((name, i) =>
      model.generate(job(name, i + 1).request, job(name, i + 1).options),
    );
    const videos = await Promise.all(done);
    await blocker;
    expect(names(log.calls)).toEqual([['X'], ['A', 'B', 'C', 'D'], ['A', 'B'], ['C', 'D']]);
    expect(videos.map((video) => video.tier.name)).toEqual(['low', 'low', 'low', 'low']);

    const tiny = new BatchingModel(new CallLog(inner, 0), { maxBatch: 4, gatherMs: 0 });
    const pair = [job('A', 1), job('B', 2)].map((item) => tiny.generate(item.request, item.options));
    for (const outcome of await Promise.allSettled(pair))
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: PipelineErrorCode.OutOfMemory } });
  }, 60_000);

  it('waits a moment for jobs on their way, but never past its gathering time', async () => {
    const log = new CallLog(inner);
    const onTheirWay = new Set<readonly number[]>([[2, 0]]);
    const model = new BatchingModel(log, { maxBatch: 4, gatherMs: 5_000, arriving: () => onTheirWay });
    const first = model.generate(job('A', 1).request, job('A', 1).options);
    await new Promise((resolve) => setTimeout(resolve, 100));
    onTheirWay.clear();
    const second = model.generate(job('B', 2).request, job('B', 2).options);
    await Promise.all([first, second]);
    expect(names(log.calls)).toEqual([['A', 'B']]);

    const quick = new BatchingModel(log, { maxBatch: 4, gatherMs: 50, arriving: () => [[2, 0]] });
    const started = Date.now();
    await quick.generate(job('C', 1).request, job('C', 1).options);
    expect(names(log.calls).at(-1)).toEqual(['C']);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});
