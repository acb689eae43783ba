import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  OnnxVideoModel,
  PipelineError,
  PipelineErrorCode,
  type VideoModel,
} from '../../src/model/index.ts';
import { chooseTier, generateWithFallback, lowerTier, tiersByCost } from '../../worker/fallback/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

describe('choosing a tier for the memory there is', () => {
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  it('orders tiers from the cheapest up', () => {
    expect(tiersByCost(model.tiers).map((t) => t.name)).toEqual(['low', 'medium', 'high']);
  });

  it('when memory is plentiful, then auto gets the best tier and a named tier gets itself', () => {
    expect(chooseTier(model.tiers, 'auto', 'medium', { availableMB: 100_000 }).tier.name).toBe('high');
    const low = chooseTier(model.tiers, 'low', 'medium', { availableMB: 100_000 });
    expect(low.tier.name).toBe('low');
    expect(low.fallbackReason).toBeUndefined();
  });

  it('when the memory budget is below the top tier, then a lower tier is chosen and says why', () => {
    const high = model.tiers.find((t) => t.name === 'high');
    const medium = model.tiers.find((t) => t.name === 'medium');
    const budget = ((high?.memoryMB ?? 0) + (medium?.memoryMB ?? 0)) / 2;
    const choice = chooseTier(model.tiers, 'high', 'medium', { availableMB: budget });
    expect(choice.tier.name).toBe('medium');
    expect(choice.asked.name).toBe('high');
    expect(choice.fallbackReason).toMatch(/not enough memory for high \(needs \d+ MiB, \d+ MiB free\)/);
  });

  it('when nothing fits, then the cheapest tier is still tried', () => {
    expect(chooseTier(model.tiers, 'high', 'medium', { availableMB: 1 }).tier.name).toBe('low');
  });

  it('when the queue is past its ETA limit, then auto drops one tier', () => {
    const choice = chooseTier(model.tiers, 'auto', 'medium', {
      availableMB: 100_000,
      queueEtaMs: 120_000,
      etaLimitMs: 60_000,
    });
    expect(choice).toMatchObject({
      tier: { name: 'medium' },
      fallbackReason: 'the queue is long (about 120 s)',
    });
  });

  it('when a generation runs out of memory, then it drops a tier and retries in the same process', async () => {
    // Out-of-memory cannot be provoked on demand on a CPU, so this one failure is injected; the
    // generation that follows is the real model's.
    const failing: VideoModel = {
      name: model.name,
      tiers: model.tiers,
      defaultTier: model.defaultTier,
      fps: model.fps,
      dispose: async () => {},
      generate: (request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> => {
        if (request.tier === 'medium') {
          return Promise.reject(
            new PipelineError(PipelineErrorCode.OutOfMemory, 'denoiser failed: Failed to allocate'),
          );
        }
        return model.generate(request, options);
      },
    };
    const medium = model.tiers.find((t) => t.name === 'medium');
    if (!medium) throw new Error('the bundled model has a medium tier');
    const result = await generateWithFallback(failing, { prompt: 'a red ball', seed: 1, steps: 2 }, medium);
    expect(result.video.tier.name).toBe('low');
    expect(result.droppedTiers).toEqual([{ tier: 'medium', reason: 'ran out of memory' }]);
    expect(lowerTier(model.tiers, result.video.tier)).toBeUndefined();
  });
});
