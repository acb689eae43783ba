import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateProgress, OnnxVideoModel, PipelineErrorCode } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const same = (a: Uint8Array[], b: Uint8Array[]) =>
  a.length === b.length &&
  a.every((f, i) => Buffer.compare(Buffer.from(f), Buffer.from(b[i] as Uint8Array)) === 0);

describe('generating with the bundled model on the CPU', () => {
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST, { providers: ['cpu'] });
  });
  afterAll(() => model.dispose());

  it('gives identical frames for the same request and seed', async () => {
    const request = { prompt: 'a green star drifting up on black', seed: 42, tier: 'low' };
    const first = await model.generate(request);
    const second = await model.generate(request);
    expect(same(first.frames.frames, second.frames.frames)).toBe(true);
  });

  it('gives different frames for another seed', async () => {
    const a = await model.generate({ prompt: 'a green star', seed: 1, tier: 'low' });
    const b = await model.generate({ prompt: 'a green star', seed: 2, tier: 'low' });
    expect(same(a.frames.frames, b.frames.frames)).toBe(false);
  });

  it('renders every tier at its own size and frame count', async () => {
    for (const tier of model.tiers) {
      const clip = await model.generate({ prompt: 'a red ball', seed: 3, tier: tier.name, steps: 2 });
      expect(clip.frames.frames).toHaveLength(tier.frames);
      expect(clip.frames.frames[0]).toHaveLength(tier.width * tier.height * 3);
      expect([clip.frames.width, clip.frames.height, clip.frames.fps]).toEqual([
        tier.width,
        tier.height,
        model.fps,
      ]);
    }
  });

  it('reports progress after every step with an estimate that reaches zero', async () => {
    const seen: GenerateProgress[] = [];
    await model.generate(
      { prompt: 'a blue box', seed: 4, tier: 'low', steps: 5 },
      { onProgress: (p) => seen.push(p) },
    );
    expect(seen.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((p) => p.totalSteps === 5 && p.tier === 'low')).toBe(true);
    expect(seen.at(-1)?.etaMs).toBeLessThan((seen[0] as GenerateProgress).etaMs + 1);
  });

  it('ignores words it does not know and says which', async () => {
    const clip = await model.generate({ prompt: 'a red zeppelin ball', seed: 5, tier: 'low', steps: 2 });
    expect(clip.unknownWords).toEqual(['zeppelin']);
  });

  it('stops within one step when cancelled', async () => {
    const controller = new AbortController();
    const steps: number[] = [];
    const run = model.generate(
      { prompt: 'a pink dot', seed: 6, tier: 'low', steps: 20 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          steps.push(p.step);
          if (p.step === 3) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: PipelineErrorCode.Aborted });
    expect(steps).toEqual([1, 2, 3]);
  });

  it('stops at its deadline', async () => {
    const run = model.generate({ prompt: 'a pink dot', seed: 6, tier: 'low' }, { deadline: Date.now() - 1 });
    await expect(run).rejects.toMatchObject({ code: PipelineErrorCode.DeadlineExceeded });
  });

  it('refuses steps past the hard cap, guidance out of range and unknown tiers, saying why', async () => {
    await expect(model.generate({ prompt: 'x', steps: 500 })).rejects.toThrow(
      /steps must be a whole number from 1 to 50/,
    );
    await expect(model.generate({ prompt: 'x', guidance: -1 })).rejects.toThrow(/guidance must be from 0 to/);
    await expect(model.generate({ prompt: 'x', seed: -3 })).rejects.toThrow(/seed must be/);
    await expect(model.generate({ prompt: 'x', tier: 'ultra' })).rejects.toThrow(
      /no tier "ultra"; its tiers are: low, medium, high/,
    );
  });

  it('refuses a start image: it makes clips from text only', async () => {
    const startImage = { bytes: new Uint8Array(8), fileName: 'clipbot-0.png' };
    await expect(model.generate({ prompt: 'a pink dot', startImage })).rejects.toMatchObject({
      code: PipelineErrorCode.InvalidOptions,
      message: 'model shapes-v1 makes clips from text only; it cannot start from a picture',
    });
  });
});
