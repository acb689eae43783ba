import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type ClipCache, clipFingerprint, type WarmClip } from '../../src/admission/index.ts';
import type { ArtifactStore } from '../../src/artifacts/index.ts';
import { randomSeed } from '../../src/core/index.ts';
import { defaultUpscale, encodeMp4 } from '../../src/media/index.ts';
import { DEFAULT_MAX_RUN_MS, type VideoModel } from '../../src/model/index.ts';
import type { RunTimeAverage } from '../../src/queue/index.ts';
import { chooseTierForJob, generateWithFallback } from '../fallback/index.ts';
import type { WarmClipPlan } from './warm-plan.ts';

export interface WarmRenderDeps {
  /** The worker's model, shared with its jobs one model call at a time (BatchingModel). */
  model: VideoModel;
  artifacts: ArtifactStore;
  cache: ClipCache;
  runTimes: RunTimeAverage;
  /** The byte budget warm clips are encoded within: a requester with a smaller limit is not answered. */
  uploadLimitBytes: number;
  ffmpegPath?: string;
  memoryBudgetMB?: number;
  autoTargetMs?: number;
  logger: Logger;
}

/**
 * Renders one warm clip as the worker renders a job asked without a seed: a fresh seed, the tier the
 * plan's quality chooses (memory, and for `auto` the expected times), the model's default steps and
 * guidance, encoded within the upload limit. Stores it and points the warm cache at it. `signal`
 * stops it between two sampler steps or during the encode.
 */
export async function renderWarmClip(
  plan: WarmClipPlan,
  deps: WarmRenderDeps,
  signal: AbortSignal,
): Promise<WarmClip> {
  const seed = randomSeed();
  const choice = await chooseTierForJob(deps.model, plan.quality, {
    runTimes: deps.runTimes,
    memoryBudgetMB: deps.memoryBudgetMB,
    autoTargetMs: deps.autoTargetMs,
  });
  const { video } = await generateWithFallback(
    deps.model,
    { prompt: plan.prompt, negativePrompt: '', seed },
    choice.tier,
    { signal, deadline: Date.now() + (deps.model.maxRunMs ?? DEFAULT_MAX_RUN_MS), logger: deps.logger },
  );
  const clip = await encodeMp4(video.frames, {
    ffmpegPath: deps.ffmpegPath,
    maxBytes: deps.uploadLimitBytes,
    upscale: defaultUpscale(video.frames),
    signal,
    ...(plan.caption ? { caption: plan.caption } : {}),
  });
  const jobId = `warm-${randomUUID()}`;
  const artifactKey = `clip-${jobId}`;
  await deps.artifacts.put(artifactKey, clip.bytes);
  const fallback =
    video.tier.name === choice.asked.name
      ? undefined
      : { from: choice.asked.name, reason: choice.fallbackReason ?? 'ran out of memory' };
  const warm: WarmClip = {
    clip: { jobId, artifactKey, tier: video.tier.name, ...(fallback ? { fallback } : {}) },
    seed: video.seed,
    bytes: clip.bytes.length,
  };
  await deps.cache.warm.finish(plan.seedless, clipFingerprint(plan.identity(video.seed)), warm);
  return warm;
}
