import type { BatchItem, BatchingVideoModel } from '../../../src/model/index.ts';

/** One tier at one batch size, straight through the model (no queue, no encoding). */
export interface BatchTiming {
  tier: string;
  batch: number;
  /** Sampler ms a step for the whole batch (one denoiser call a step). */
  msPerStep: number;
  /** Wall ms of the whole batch: text, steps and every job's decode. */
  msPerBatch: number;
  clipsPerSecond: number;
}

const PROMPTS = [
  'a red ball bouncing on green grass',
  'a blue square moving left',
  'a yellow triangle moving up',
  'a white circle moving right',
];

/** Times `runs` batches of `batch` jobs (distinct prompts and seeds) after one warm-up batch. */
export async function timeBatches(
  model: BatchingVideoModel,
  tier: string,
  batch: number,
  runs: number,
): Promise<BatchTiming> {
  const items = (round: number): BatchItem[] =>
    Array.from({ length: batch }, (_, i) => ({
      request: { prompt: PROMPTS[i % PROMPTS.length] as string, seed: round * 100 + i, tier },
      options: {},
    }));
  await Promise.all(model.generateBatch(items(0)));
  let wall = 0;
  let sampleMsPerStep = 0;
  for (let round = 1; round <= runs; round++) {
    const started = performance.now();
    const videos = await Promise.all(model.generateBatch(items(round)));
    wall += performance.now() - started;
    const first = videos[0];
    if (first) sampleMsPerStep += first.timings.sampleMs / first.steps;
  }
  const msPerBatch = wall / runs;
  return {
    tier,
    batch,
    msPerStep: round2(sampleMsPerStep / runs),
    msPerBatch: round2(msPerBatch),
    clipsPerSecond: round2((batch * 1000) / msPerBatch),
  };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
