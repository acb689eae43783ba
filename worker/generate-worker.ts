import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SpineParts } from '../src/app/spine-parts.ts';
import type { GenerateJobData } from '../src/core/index.ts';
import { markJobStarted, replyToFailedJobs, type StopReason } from '../src/jobs/index.ts';
import type { VideoModel } from '../src/model/index.ts';
import { logQueueErrors } from '../src/redis/index.ts';
import { BatchingModel } from './batching-model.ts';
import { createGenerateProcessor } from './generate-processor.ts';
import { JobsOnTheirWay } from './jobs-on-their-way.ts';
import { startWarming, type WarmingOptions } from './warm/index.ts';
import { WorkerActivity } from './worker-activity.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export interface GenerateWorkerOptions {
  model: VideoModel;
  parts: SpineParts;
  /** Connections of the worker's own: BullMQ's blocking reads, and the cancel subscription. */
  connection: Redis;
  subscriber: Redis;
  logger: Logger;
  memoryBudgetMB?: number;
  /** `auto` takes the highest tier expected within this many ms (CLIPBOT_AUTO_TARGET_MS; default 5 s). */
  autoTargetMs?: number;
  /** ffmpeg binary (FFMPEG_PATH); default: ffmpeg on PATH. */
  ffmpegPath?: string;
  /** How long a job's lock lasts without renewal; a killed worker's job is rerun after about this. */
  lockMs?: number;
  progressIntervalMs?: number;
  metrics?: WorkerMetrics;
  /** Popular prompts to render ahead while idle (CLIPBOT_WARM_PROMPTS); unset or empty: none. */
  warm?: WarmingOptions;
  /** Micro-batching (CLIPBOT_BATCH_MAX, CLIPBOT_BATCH_WAIT_MS); default: one job at a time. */
  batch?: { maxBatch: number; gatherMs: number; inHand?: number };
}

/**
 * One batch on the GPU and one being encoded and stored. More would raise the GPU's duty cycle a little
 * but take jobs out of the fair queue early: a newly arrived tenant's job would wait behind them.
 */
const BATCHES_IN_HAND = 2; // bench:gpu measures 3 (batch.inHand)

export interface GenerateWorker {
  worker: Worker<GenerateJobData>;
  /**
   * Stops taking jobs and lets the running one finish for up to `graceMs`; after that it is handed
   * back to the queue (started again from the beginning by the next worker) rather than lost.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * The generate queue's consumer: the processor, the final reply for failed and cancelled jobs, and
 * cancels from the bot through Redis pub/sub. It holds two batches of jobs at once (two jobs without
 * batching), but the model runs one batch at a time (BatchingModel): the GPU serves one batch while
 * the previous one's MP4s are encoded and stored, which would otherwise leave it idle for a third of
 * the time on small clips.
 */
export async function startGenerateWorker(options: GenerateWorkerOptions): Promise<GenerateWorker> {
  const { parts, logger, metrics } = options;
  const batch = options.batch ?? { maxBatch: 1, gatherMs: 0 };
  const onTheirWay = new JobsOnTheirWay();
  const model = new BatchingModel(options.model, { ...batch, arriving: () => onTheirWay.queueOrders });
  const activity = new WorkerActivity();
  const processor = createGenerateProcessor({
    model,
    ffmpegPath: options.ffmpegPath,
    artifacts: parts.artifacts,
    endings: parts.endings,
    cancels: parts.cancels,
    runTimes: parts.runTimes,
    logger,
    memoryBudgetMB: options.memoryBudgetMB,
    autoTargetMs: options.autoTargetMs,
    waitingJobs: () => parts.generate.getJobCountByTypes('waiting', 'prioritized'),
    progressIntervalMs: options.progressIntervalMs,
    onTheirWay,
    onStart: (data, jobId) => markJobStarted(parts, data, jobId),
    onClip: (delivery) => {
      metrics?.completed.inc();
      metrics?.runSeconds.observe({ tier: delivery.tier }, delivery.elapsedMs / 1000);
      if (delivery.fallback) metrics?.fallbacks.inc({ from: delivery.fallback.from, to: delivery.tier });
    },
  });
  const lockMs = options.lockMs ?? 30_000;
  // maxStalledCount: a job whose worker died (kill -9) is rerun, and one that keeps killing
  // workers fails after two reruns instead of looping.
  const worker = new Worker<GenerateJobData>(
    'generate',
    (job, token, signal) => activity.during(() => processor(job, token, signal)),
    {
      connection: options.connection,
      prefix: parts.prefix,
      concurrency: (batch.inHand ?? BATCHES_IN_HAND) * batch.maxBatch,
      maxStalledCount: 2,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    },
  );
  logQueueErrors(worker, logger, 'worker generate');
  worker.on('active', (job) => metrics?.waitSeconds.observe((Date.now() - job.timestamp) / 1000));
  replyToFailedJobs(worker, {
    endings: parts.endings,
    cancels: parts.cancels,
    logger,
    onEnded: (code) => metrics?.failed.inc({ reason: code }),
  });
  const stopListening = await parts.cancels.listen(options.subscriber, (jobId) => {
    if (worker.cancelJob(jobId, 'cancel' satisfies StopReason))
      logger.info({ jobId }, 'cancelling the running job');
  });
  // The bot tells users generation is down when no worker has beaten lately.
  const workerName = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const stopBeating = parts.workers.keepBeating(workerName);
  const warming =
    options.warm && options.warm.prompts.length > 0
      ? startWarming(options.warm, { ...options, model, activity, owner: workerName })
      : undefined;
  return {
    worker,
    close: async (graceMs) => {
      await warming?.stop();
      const handBack = setTimeout(() => worker.cancelAllJobs('hand-back' satisfies StopReason), graceMs);
      try {
        await worker.close();
      } finally {
        clearTimeout(handBack);
        await stopBeating();
        await stopListening();
      }
    },
  };
}
