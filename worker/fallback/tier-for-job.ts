import type { QualityChoice } from '../../src/core/index.ts';
import type { VideoModel } from '../../src/model/index.ts';
import type { RunTimeAverage } from '../../src/queue/index.ts';
import { availableMemoryMB } from './available-memory.ts';
import { expectedTimes } from './expected-times.ts';
import { chooseTier, type TierChoice } from './tier-choice.ts';

/** CLIPBOT_AUTO_TARGET_MS's default, for a worker started without one (tests, benches). */
export const DEFAULT_AUTO_TARGET_MS = 5_000;

/**
 * How much queued work makes `auto` drop one tier more: a minute of clips waiting. A constant, not a
 * setting: how long chat users will wait for a reply does not depend on the machine, and the machine's
 * speed is already in the estimate (waiting jobs × this tier's expected time here).
 */
export const QUEUE_LIMIT_MS = 60_000;

export interface TierForJobSources {
  /** Per-tier moving averages of this deployment's run times. */
  runTimes: RunTimeAverage;
  /** Jobs waiting in the generate queue now; unset: the queue is not considered. */
  waitingJobs?: () => Promise<number>;
  memoryBudgetMB?: number;
  /** `auto` takes the highest tier expected to finish within this (default 5 s). */
  autoTargetMs?: number;
  /** The request's steps, when it sets them. */
  steps?: number;
}

/**
 * The tier a job renders at, from the memory free now and, for `auto`, the tiers' expected times
 * and the queue's length, read from Redis just before the job starts.
 */
export async function chooseTierForJob(
  model: Pick<VideoModel, 'tiers' | 'defaultTier' | 'freeMemoryMB'>,
  quality: QualityChoice | string,
  sources: TierForJobSources,
): Promise<TierChoice> {
  // An inference server's free VRAM, read now; a server that does not answer leaves it to the budget.
  const gpuFreeMB = await model.freeMemoryMB?.().catch(() => undefined);
  const availableMB = availableMemoryMB({
    budgetMB: sources.memoryBudgetMB,
    ...(gpuFreeMB !== undefined ? { gpuFreeMB } : {}),
  });
  if (quality !== 'auto') return chooseTier(model.tiers, quality, model.defaultTier, { availableMB });
  const [measured, waitingJobs] = await Promise.all([
    sources.runTimes.tierAveragesMs(),
    sources.waitingJobs?.(),
  ]);
  return chooseTier(model.tiers, quality, model.defaultTier, {
    availableMB,
    expectedMs: expectedTimes(model.tiers, measured),
    targetMs: sources.autoTargetMs ?? DEFAULT_AUTO_TARGET_MS,
    steps: sources.steps,
    waitingJobs,
    queueLimitMs: QUEUE_LIMIT_MS,
  });
}
