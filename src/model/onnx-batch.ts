import { setImmediate as nextTurn } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import { checkStop } from './check-stop.ts';
import { flowTimesteps, frameCorrelatedNoise } from './flow-sampler.ts';
import type { OnnxManifest, QualityTier } from './manifest.ts';
import { Prng } from './prng.ts';
import { batchKeyOf, type ResolvedRequest, resolveRequest } from './resolve-request.ts';
import { toRgbFrames } from './rgb-frames.ts';
import type { LatentStep, TextFeeds } from './sampler-step.ts';
import type { BatchItem, GeneratedVideo } from './video-model.ts';
import type { WordTokenizer } from './word-tokenizer.ts';

/** What a batch run needs of the loaded model. */
export interface BatchContext {
  manifest: OnnxManifest;
  tokenizer: WordTokenizer;
  provider: string;
  step: LatentStep;
  encodeText(ids: BigInt64Array, rows: number): Promise<Float32Array>;
  /** Every job's frames in one decoder call (the decoder works frame by frame): pixels per job. */
  decode(latents: Float32Array[], tier: QualityTier): Promise<Float32Array[]>;
}

/** One generation in flight: its request, its text, its latent and how to settle it. */
interface Job {
  item: BatchItem;
  req: ResolvedRequest;
  unknownWords: string[];
  /** The prompt's and the negative prompt's embeddings and masks. */
  text: [Float32Array, Float32Array];
  mask: [Float32Array, Float32Array];
  x: Float32Array;
  resolve(video: GeneratedVideo): void;
  reject(error: unknown): void;
}

/**
 * Runs `items` as one batch: one text-encoder call for all, one denoiser call a step for all still
 * running, then one decoder call for all still wanted. The noise comes from each item's seed and every
 * row of a batched call is computed on its own, so an item's frames do not depend on what it was
 * batched with.
 */
export function runBatch(ctx: BatchContext, items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
  const settlers: Pick<Job, 'resolve' | 'reject'>[] = [];
  const promises = items.map(
    (_, i) =>
      new Promise<GeneratedVideo>((resolve, reject) => {
        settlers[i] = { resolve, reject };
      }),
  );
  const jobs: Job[] = [];
  items.forEach((item, i) => {
    const settle = settlers[i] as Pick<Job, 'resolve' | 'reject'>;
    try {
      checkStop(item.options);
      const req = resolveRequest(ctx.manifest, item.request);
      jobs.push({ item, req, unknownWords: [], text: EMPTY_PAIR, mask: EMPTY_PAIR, x: EMPTY, ...settle });
    } catch (error) {
      settle.reject(error);
    }
  });
  const first = jobs[0];
  if (first && jobs.some((job) => batchKeyOf(job.req) !== batchKeyOf(first.req)))
    throw new Error('runBatch: every item of a batch must share its batch key');
  sample(ctx, jobs).catch((error: unknown) => {
    for (const job of jobs) job.reject(error);
  });
  return promises;
}

const EMPTY = new Float32Array(0);
const EMPTY_PAIR: [Float32Array, Float32Array] = [EMPTY, EMPTY];

async function sample(ctx: BatchContext, all: Job[]): Promise<void> {
  const first = all[0];
  if (!first) return;
  const started = performance.now();
  const { tier, steps } = first.req;
  const { channels, downscale, frameNoiseCorrelation } = ctx.manifest.latent;
  const shape = {
    frames: tier.frames,
    channels,
    height: tier.height / downscale,
    width: tier.width / downscale,
  };
  const frameSize = channels * shape.height * shape.width;
  await encodePrompts(ctx, all);
  for (const job of all)
    job.x = frameCorrelatedNoise(new Prng(job.req.seed), tier.frames, frameSize, frameNoiseCorrelation);
  const textMs = performance.now() - started;

  let active = all;
  const times = flowTimesteps(steps, ctx.manifest.scheduler.shift);
  const sampleStart = performance.now();
  for (let i = 0; i < steps; i++) {
    // A step's run holds this thread: let what arrived meanwhile (a cancel, a job for the worker,
    // which stops a warm render) be heard now, before the next step starts, not after it.
    await nextTurn();
    active = stillWanted(active);
    if (active.length === 0) return;
    const t = times[i] as number;
    await ctx.step({
      latents: active.map((job) => job.x),
      shape,
      t,
      dt: (times[i + 1] as number) - t,
      guidance: active.map((job) => job.req.guidance),
      text: textFeeds(active, ctx.manifest.tokenizer.maxLength),
    });
    const perStep = (performance.now() - sampleStart) / (i + 1);
    for (const job of active) {
      job.item.options.onProgress?.({
        step: i + 1,
        totalSteps: steps,
        elapsedMs: Math.round(performance.now() - started),
        etaMs: Math.round(perStep * (steps - i - 1) + perStep * 0.5),
        tier: tier.name,
      });
    }
  }
  const sampleMs = performance.now() - sampleStart;

  await nextTurn();
  const decoding = stillWanted(active);
  if (decoding.length === 0) return;
  const decodeStart = performance.now();
  let pixels: Float32Array[];
  try {
    pixels = await ctx.decode(
      decoding.map((job) => job.x),
      tier,
    );
  } catch (error) {
    for (const job of decoding) job.reject(error);
    return;
  }
  const decodeMs = performance.now() - decodeStart;
  decoding.forEach((job, j) => {
    try {
      const frames = toRgbFrames(pixels[j] as Float32Array, tier.frames, tier.height, tier.width);
      job.resolve({
        frames: { width: tier.width, height: tier.height, fps: ctx.manifest.fps, frames },
        prompt: job.req.prompt,
        seed: job.req.seed,
        steps,
        guidance: job.req.guidance,
        tier,
        unknownWords: job.unknownWords,
        provider: ctx.provider,
        timings: { textMs, sampleMs, decodeMs, totalMs: performance.now() - started },
      });
    } catch (error) {
      job.reject(error);
    }
  });
}

/** One text-encoder call for every prompt and negative prompt of the batch. */
async function encodePrompts(ctx: BatchContext, jobs: Job[]): Promise<void> {
  const encoded = jobs.flatMap((job) => [
    ctx.tokenizer.encode(job.req.prompt),
    ctx.tokenizer.encode(job.req.negativePrompt),
  ]);
  const ids = new BigInt64Array(encoded.flatMap((e) => [...e.ids]));
  const embeddings = await ctx.encodeText(ids, encoded.length);
  const rowSize = embeddings.length / encoded.length;
  jobs.forEach((job, j) => {
    const row = (k: number) => embeddings.slice(k * rowSize, (k + 1) * rowSize);
    const [cond, uncond] = [encoded[2 * j], encoded[2 * j + 1]];
    if (!cond || !uncond) throw new Error('encodePrompts: a prompt went missing');
    job.unknownWords = cond.unknown;
    job.text = [row(2 * j), row(2 * j + 1)];
    job.mask = [cond.mask, uncond.mask];
  });
}

/** The text rows of a step call: every job's prompt, then every job's negative prompt, in job order. */
function textFeeds(jobs: Job[], maxLength: number): TextFeeds {
  const n = jobs.length;
  const rowSize = (jobs[0] as Job).text[0].length;
  const embeddings = new Float32Array(2 * n * rowSize);
  const mask = new Float32Array(2 * n * maxLength);
  jobs.forEach((job, j) => {
    for (const half of [0, 1] as const) {
      const row = half * n + j;
      embeddings.set(job.text[half], row * rowSize);
      mask.set(job.mask[half], row * maxLength);
    }
  });
  return {
    embeddings: new ort.Tensor('float32', embeddings, [2 * n, maxLength, rowSize / maxLength]),
    mask: new ort.Tensor('float32', mask, [2 * n, maxLength]),
  };
}

/** The jobs neither cancelled nor past their deadline; the others are rejected and leave the batch. */
function stillWanted(jobs: Job[]): Job[] {
  return jobs.filter((job) => {
    try {
      checkStop(job.item.options);
      return true;
    } catch (error) {
      job.reject(error);
      return false;
    }
  });
}
