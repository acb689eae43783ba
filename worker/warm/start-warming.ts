import type { Logger } from 'pino';
import type { SpineParts } from '../../src/app/spine-parts.ts';
import type { WarmPrompt } from '../../src/config/index.ts';
import type { VideoModel } from '../../src/model/index.ts';
import type { WorkerActivity } from '../worker-activity.ts';
import type { WorkerMetrics } from '../worker-metrics.ts';
import { WarmLoop } from './warm-loop.ts';
import { type WarmPlanDeps, WarmPlanner } from './warm-plan.ts';
import { renderWarmClip } from './warm-render.ts';

/** What the operator configured for warming, and how admission checks prompts (rules, moderation, tenants). */
export interface WarmingOptions extends Omit<WarmPlanDeps, 'logger' | 'modelName'> {
  prompts: readonly WarmPrompt[];
  /** How often an idle worker looks for a clip to warm (default 5 s). */
  intervalMs?: number;
  /** Rendered again when less than this is left (default: a quarter of the clip cache's TTL). */
  refreshBeforeMs?: number;
}

/** The worker's own parts the warm loop shares: its model (one generation at a time) and its jobs in hand. */
export interface WarmingWorker {
  model: VideoModel;
  activity: WorkerActivity;
  parts: SpineParts;
  owner: string;
  logger: Logger;
  ffmpegPath?: string;
  memoryBudgetMB?: number;
  autoTargetMs?: number;
  metrics?: WorkerMetrics;
}

/** Starts the warm loop beside the generate worker. */
export function startWarming(options: WarmingOptions, worker: WarmingWorker): WarmLoop {
  const { parts, metrics } = worker;
  const logger = worker.logger.child({ part: 'warm' });
  const planner = new WarmPlanner(options.prompts, { ...options, modelName: worker.model.name, logger });
  const loop = new WarmLoop({
    planner,
    render: (plan, signal) =>
      renderWarmClip(
        plan,
        {
          model: worker.model,
          artifacts: parts.artifacts,
          cache: parts.cache,
          runTimes: parts.runTimes,
          uploadLimitBytes: options.uploadLimitBytes,
          ffmpegPath: worker.ffmpegPath,
          memoryBudgetMB: worker.memoryBudgetMB,
          autoTargetMs: worker.autoTargetMs,
          logger,
        },
        signal,
      ),
    warm: parts.cache.warm,
    activity: worker.activity,
    jobsWaiting: () => parts.generate.getJobCountByTypes('waiting', 'prioritized', 'delayed'),
    owner: worker.owner,
    intervalMs: options.intervalMs,
    refreshBeforeMs: options.refreshBeforeMs,
    logger,
    onRendered: (result) => metrics?.warmRenders.inc({ result }),
  });
  loop.start();
  logger.info({ prompts: options.prompts.length }, 'warming popular prompts while idle');
  return loop;
}
