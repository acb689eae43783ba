import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  loadManifest,
  OnnxVideoModel,
  PipelineError,
  PipelineErrorCode,
  type QualityTier,
  type VideoModel,
} from '../../src/model/index.ts';
import { RunTimeAverage } from '../../src/queue/index.ts';
import {
  chooseTier,
  chooseTierForJob,
  expectedTimes,
  generateWithFallback,
  lowerTier,
  QUEUE_LIMIT_MS,
  type TierChoice,
  type TierConstraints,
  tierRun,
  tiersByCost,
} from '../../worker/fallback/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('choosing a tier for the memory there is', () => {
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  it('orders tiers from the cheapest up', () => {
    expect(tiersByCost(model.tiers).map((t) => t.name)).toEqual(['low', 'medium', 'high']);
  });

  it('when memory is plentiful and no time is judged, then auto gets the best tier and a named tier gets itself', () => {
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

describe('auto quality that fits the machine', () => {
  let tiers: readonly QualityTier[];
  beforeAll(async () => {
    tiers = (await loadManifest(BUNDLED_MANIFEST)).manifest.tiers;
  });

  const plenty = 100_000;
  /** `auto` as the worker asks for it: memory to spare, a 5 s target, the queue limit. */
  const auto = (measured: Record<string, number> = {}, over: Partial<TierConstraints> = {}): TierChoice =>
    chooseTier(tiers, 'auto', 'medium', {
      availableMB: plenty,
      expectedMs: expectedTimes(tiers, new Map(Object.entries(measured))),
      targetMs: 5_000,
      queueLimitMs: QUEUE_LIMIT_MS,
      ...over,
    });
  /** The line the playground shows under a clip made below the asked tier. */
  const shown = (choice: TierChoice) =>
    `Made at ${choice.tier.name} instead of ${choice.asked.name}: ${choice.fallbackReason}.`;

  it('the bundled manifest gives every tier its run time on 2 vCPUs, from the model card', () => {
    expect(tiers.map((t) => [t.name, t.expectedMs])).toEqual([
      ['low', 590],
      ['medium', 2960],
      ['high', 9840],
    ]);
  });

  it('before any run, when high is expected to take over the target, then auto takes medium and says why', () => {
    const choice = auto();
    expect(choice.tier.name).toBe('medium');
    expect(choice.asked.name).toBe('high');
    expect(shown(choice)).toBe(
      'Made at medium instead of high: high would take about 10 s here, over the 5 s target.',
    );
  });

  it('when this machine has measured high within the target, then auto takes high', () => {
    expect(auto({ high: 1_400 })).toEqual({
      tier: expect.objectContaining({ name: 'high' }),
      asked: expect.objectContaining({ name: 'high' }),
    });
  });

  it('when this machine has measured high over the target, then auto keeps away from it even if the manifest is hopeful', () => {
    expect(auto({ high: 6_000, medium: 1_000 }).tier.name).toBe('medium');
  });

  it('when only medium has run, 10 times faster than its manifest figure, then high is judged at a tenth of its figure', () => {
    const times = expectedTimes(tiers, new Map([['medium', 296]]));
    expect(Object.fromEntries(times)).toEqual({ low: 59, medium: 296, high: 984 });
    expect(auto({ medium: 296 }).tier.name).toBe('high');
  });

  it('when only low has run, slower than its figure, then the tiers above are scaled by its ratio too', () => {
    const times = expectedTimes(tiers, new Map([['low', 1_180]]));
    expect(Object.fromEntries(times)).toEqual({ low: 1_180, medium: 5_920, high: 19_680 });
    expect(auto({ low: 1_180 })).toMatchObject({
      tier: { name: 'low' },
      fallbackReason: 'high would take about 20 s and medium about 5.9 s here, over the 5 s target',
    });
  });

  it('an unmeasured tier takes the ratio of the measured tier nearest in cost; between two, the slower', () => {
    // high ran at a twentieth of its figure (a GPU), low at half of its: medium is judged by half.
    expect(
      expectedTimes(
        tiers,
        new Map([
          ['low', 295],
          ['high', 492],
        ]),
      ).get('medium'),
    ).toBe(1_480);
    // Only high ran: medium and low both take its ratio.
    expect(Object.fromEntries(expectedTimes(tiers, new Map([['high', 492]])))).toEqual({
      low: 30,
      medium: 148,
      high: 492,
    });
  });

  it('a tier with neither a measurement nor a manifest figure is not judged by time', () => {
    const bare = tiers.map(({ expectedMs: _, ...t }) => t);
    expect(expectedTimes(bare, new Map()).size).toBe(0);
    expect(
      chooseTier(bare, 'auto', 'medium', { availableMB: plenty, expectedMs: new Map(), targetMs: 5_000 }).tier
        .name,
    ).toBe('high');
  });

  it('when the request sets fewer steps, then the time judged shrinks with them', () => {
    // high at 8 of its 20 steps: about 3.9 s, within the 5 s target.
    expect(auto({}, { steps: 8 }).tier.name).toBe('high');
    expect(auto({}, { steps: 40 })).toMatchObject({
      tier: { name: 'low' },
      fallbackReason: 'high would take about 20 s and medium about 7.4 s here, over the 5 s target',
    });
  });

  it('when the waiting jobs would take over a minute at the chosen tier, then auto drops one tier more and says why', () => {
    // 30 jobs × medium's 2.96 s = about 89 s of work.
    const choice = auto({}, { waitingJobs: 30 });
    expect(choice.tier.name).toBe('low');
    expect(shown(choice)).toBe(
      'Made at low instead of high: high would take about 10 s here, over the 5 s target, and the queue is long (about 89 s of work waiting).',
    );
    // 20 jobs × 2.96 s = about 59 s: medium stays.
    expect(auto({}, { waitingJobs: 20 }).tier.name).toBe('medium');
  });

  it('when high fits the target but the queue is long, then the reason names only the queue', () => {
    expect(shown(auto({ high: 2_000 }, { waitingJobs: 40 }))).toBe(
      'Made at medium instead of high: the queue is long (about 80 s of work waiting).',
    );
  });

  it('a named quality is never lowered for time or for a long queue, only for memory', () => {
    const slowMachine = new Map([
      ['low', 9_000],
      ['medium', 40_000],
      ['high', 120_000],
    ]);
    for (const name of ['low', 'medium', 'high']) {
      const choice = chooseTier(tiers, name, 'medium', {
        availableMB: plenty,
        expectedMs: slowMachine,
        targetMs: 5_000,
        waitingJobs: 100,
        queueLimitMs: QUEUE_LIMIT_MS,
      });
      expect(choice).toEqual({
        tier: expect.objectContaining({ name }),
        asked: expect.objectContaining({ name }),
      });
    }
  });

  it('when memory and time both lower auto, then the reason gives both, memory first', () => {
    const high = tiers.find((t) => t.name === 'high') as QualityTier;
    const choice = auto({}, { availableMB: high.memoryMB - 1, targetMs: 2_000 });
    expect(choice.tier.name).toBe('low');
    expect(choice.fallbackReason).toBe(
      `not enough memory for high (needs ${high.memoryMB} MiB, ${high.memoryMB - 1} MiB free), and medium would take about 3 s here, over the 2 s target`,
    );
  });

  it("a clip made with other steps counts for its tier as if it had taken the tier's own steps", () => {
    const high = tiers.find((t) => t.name === 'high') as QualityTier;
    const video = {
      tier: high,
      steps: 2,
      timings: { textMs: 10, sampleMs: 800, decodeMs: 90, totalMs: 900 },
    } as GeneratedVideo;
    // 100 ms of the rest plus 200 ms of encoding stay; 800 ms of sampling at 2 steps is 8 s at 20.
    expect(tierRun(video, 1_100)).toEqual({ tier: 'high', ms: 8_300 });
  });

  describe('as the worker reads it from Redis', () => {
    const redis = useLocalRedis();

    it('after medium ran fast here, the next auto job renders high', async () => {
      const runTimes = new RunTimeAverage(redis.client(), `tiers${Date.now()}:run-ms`, 5_000);
      const model = { tiers, defaultTier: 'medium' };
      const sources = { runTimes, memoryBudgetMB: plenty, waitingJobs: async () => 0 };
      expect((await chooseTierForJob(model, 'auto', sources)).tier.name).toBe('medium');
      await runTimes.record(300, { tier: 'medium', ms: 300 });
      expect(await runTimes.tierAveragesMs()).toEqual(new Map([['medium', 300]]));
      expect((await chooseTierForJob(model, 'auto', sources)).tier.name).toBe('high');
    });

    it('a long queue read from the worker drops auto one tier', async () => {
      const runTimes = new RunTimeAverage(redis.client(), `queue${Date.now()}:run-ms`, 5_000);
      const choice = await chooseTierForJob({ tiers, defaultTier: 'medium' }, 'auto', {
        runTimes,
        memoryBudgetMB: plenty,
        waitingJobs: async () => 30,
      });
      expect(choice.tier.name).toBe('low');
    });

    it('each tier keeps its own moving average beside the overall one', async () => {
      const runTimes = new RunTimeAverage(redis.client(), `avg${Date.now()}:run-ms`, 5_000);
      await runTimes.record(1_000, { tier: 'low', ms: 1_000 });
      await runTimes.record(3_000, { tier: 'medium', ms: 3_000 });
      await runTimes.record(2_000, { tier: 'low', ms: 2_000 });
      expect(await runTimes.tierAveragesMs()).toEqual(
        new Map([
          ['low', 1_200],
          ['medium', 3_000],
        ]),
      );
      expect(await runTimes.averageMs()).toBe(1_520); // 1000 → 1400 → 1520: every tier together
    });
  });
});
