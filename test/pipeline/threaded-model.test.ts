import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedVideo,
  type GenerateProgress,
  OnnxVideoModel,
  PipelineError,
  PipelineErrorCode,
  ThreadedOnnxModel,
} from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const same = (a: Uint8Array[], b: Uint8Array[]) =>
  a.length === b.length &&
  a.every((f, i) => Buffer.compare(Buffer.from(f), Buffer.from(b[i] as Uint8Array)) === 0);

describe('the bundled model in a thread of its own', () => {
  let threaded: ThreadedOnnxModel;
  let inProcess: OnnxVideoModel;
  beforeAll(async () => {
    [threaded, inProcess] = await Promise.all([
      ThreadedOnnxModel.load(BUNDLED_MANIFEST, { providers: ['cpu'] }),
      OnnxVideoModel.load(BUNDLED_MANIFEST, { providers: ['cpu'] }),
    ]);
  });
  afterAll(async () => {
    await threaded.dispose();
    await inProcess.dispose();
  });

  it('gives the frames the model gives in process, for each job of a batch', async () => {
    const requests = [
      { prompt: 'a green star drifting up on black', seed: 42, tier: 'low' },
      { prompt: 'a red ball', seed: 7, tier: 'low', guidance: 6 },
    ];
    const batch = await Promise.all(
      threaded.generateBatch(requests.map((request) => ({ request, options: {} }))),
    );
    expect(threaded.provider).toBe('cpu');
    for (const [i, request] of requests.entries()) {
      const alone = await inProcess.generate(request);
      expect(same(batch[i]?.frames.frames ?? [], alone.frames.frames)).toBe(true);
      expect(batch[i]?.seed).toBe(request.seed);
    }
  });

  it('keeps the main thread free while a step runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await threaded.generate({ prompt: 'a blue square', seed: 3, tier: 'medium' });
    clearInterval(timer);
    // An in-process run holds the event loop for each whole step; here the timer keeps firing.
    expect(ticks).toBeGreaterThan((performance.now() - started) / 5 / 4);
  });

  it("reports each job's progress in order and cancels one job of a batch without the other", async () => {
    const seen: GenerateProgress[] = [];
    const controller = new AbortController();
    const [kept, cancelled] = threaded.generateBatch([
      {
        request: { prompt: 'a red ball', seed: 1, tier: 'low' },
        options: { onProgress: (p) => seen.push(p) },
      },
      {
        request: { prompt: 'a red ball', seed: 2, tier: 'low' },
        options: {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.step === 2) controller.abort('user pressed Cancel');
          },
        },
      },
    ]);
    await expect(cancelled).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
    const video = (await kept) as GeneratedVideo;
    expect(video.frames.frames.length).toBeGreaterThan(0);
    expect(seen.map((p) => p.step)).toEqual(Array.from({ length: video.steps }, (_, i) => i + 1));
  });

  it('stops a job whose signal was aborted before it was sent', async () => {
    const job = threaded.generate(
      { prompt: 'a red ball', seed: 4, tier: 'low' },
      { signal: AbortSignal.abort('cancelled while it waited') },
    );
    await expect(job).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
  });

  it('keeps the code of a refused request, and the model works on', async () => {
    const refused = threaded.generate({ prompt: 'a red ball', tier: 'ultra' });
    await expect(refused).rejects.toBeInstanceOf(PipelineError);
    await expect(refused).rejects.toMatchObject({ code: PipelineErrorCode.TierUnknown });
    const late = threaded.generate({ prompt: 'a red ball', tier: 'low' }, { deadline: Date.now() - 1 });
    await expect(late).rejects.toMatchObject({ code: PipelineErrorCode.DeadlineExceeded });
    await expect(threaded.generate({ prompt: 'a red ball', seed: 5, tier: 'low' })).resolves.toBeDefined();
  });

  it('says so when the model cannot load', async () => {
    await expect(ThreadedOnnxModel.load(BUNDLED_MANIFEST, { providers: [] as never[] })).rejects.toThrow();
  });
});
