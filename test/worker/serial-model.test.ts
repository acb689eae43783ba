import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxVideoModel, PipelineErrorCode } from '../../src/model/index.ts';
import { SerialModel } from '../../worker/serial-model.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

describe('SerialModel over the bundled model', () => {
  let inner: OnnxVideoModel;
  beforeAll(async () => {
    inner = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => inner.dispose());

  it('runs generations one at a time in arrival order, and a cancelled waiter leaves the line at once', async () => {
    const model = new SerialModel(inner);
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
});
