import { performance } from 'node:perf_hooks';
import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { DEFAULT_ADMISSION_LIMITS } from '../../../src/admission/index.ts';
import { createSpineParts } from '../../../src/app/index.ts';
import type { GenerateJobData } from '../../../src/core/index.ts';
import type { BatchingVideoModel } from '../../../src/model/index.ts';
import { addFairJob } from '../../../src/queue/index.ts';
import { createRedis } from '../../../src/redis/index.ts';
import { startGenerateWorker } from '../../../worker/generate-worker.ts';
import { BusyModel } from './busy-model.ts';
import { round2 } from './model-batches.ts';

export interface WorkerRun {
  redisUrl: string;
  ffmpegPath?: string;
  model: BatchingVideoModel;
  tier: string;
  maxBatch: number;
  /** Batches the worker holds at once (the default 2: one on the model, one encoding). */
  inHand?: number;
  /** Jobs queued at once, from four tenants in turn. */
  jobs: number;
  logger: Logger;
}

export interface WorkerTiming {
  tier: string;
  batch: number;
  jobs: number;
  inHand: number;
  seconds: number;
  clipsPerSecond: number;
  /**
   * Clips a second once the worker runs, from the first batch's last clip to the last clip: the
   * worker's start (connections, the first ffmpeg processes, the first gathering) left out.
   */
  steadyClipsPerSecond: number;
  /** How busy the model was (its calls' time over the run's, 0–1): below 1, it waited for the worker. */
  modelBusy: number;
  /** Jobs in a model call, on average: below the batch size, batches left full too few jobs waiting. */
  jobsPerCall: number;
  /** How busy the main thread was (event-loop utilisation, 0–1) and the process's CPU ms a clip. */
  mainThreadBusy: number;
  cpuMsPerClip: number;
}

/**
 * The real worker (BullMQ on Redis, fair order, BatchingModel, ffmpeg encoding, stored MP4s and queued
 * replies) on `jobs` queued jobs: clips a second from the worker's start to the last job's end.
 */
export async function timeWorker(run: WorkerRun): Promise<WorkerTiming> {
  const { logger } = run;
  const redis = createRedis(run.redisUrl, { role: 'worker', logger });
  const prefix = `gpu${Date.now()}`;
  const parts = createSpineParts(redis, { prefix, limits: DEFAULT_ADMISSION_LIMITS });
  const events = new QueueEvents('generate', {
    connection: createRedis(run.redisUrl, { role: 'worker', logger }),
    prefix,
  });
  await events.waitUntilReady();
  const added = [];
  for (let i = 0; i < run.jobs; i++) {
    const tenant = `tenant-${i % 4}`;
    const data: GenerateJobData = {
      requestId: `r${i}`,
      tenantKey: tenant,
      userKey: `${tenant}:u${i}`,
      channelId: 'bench',
      prompt: 'a red ball bouncing on green grass',
      negativePrompt: '',
      seed: i,
      quality: run.tier,
      private: false,
      uploadLimitBytes: 10 * 1024 * 1024,
      target: { platform: 'playground', kind: 'message', replyId: `m${i}`, handle: { messageId: `m${i}` } },
      fingerprint: `bench-${prefix}-${i}`,
      fairTag: 0,
    };
    added.push(
      await addFairJob(parts.generate, parts.fair, {
        tenantKey: tenant,
        jobId: `job-${i}`,
        name: 'generate',
        data,
      }),
    );
  }
  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const model = new BusyModel(run.model);
  const worker = await startGenerateWorker({
    model,
    parts,
    connection: createRedis(run.redisUrl, { role: 'worker', logger }),
    subscriber: createRedis(run.redisUrl, { role: 'worker', logger }),
    logger,
    ...(run.ffmpegPath ? { ffmpegPath: run.ffmpegPath } : {}),
    batch: { maxBatch: run.maxBatch, gatherMs: 200, ...(run.inHand ? { inHand: run.inHand } : {}) },
  });
  const ends = await Promise.all(
    added.map((job) => job.waitUntilFinished(events, 600_000).then(() => performance.now())),
  );
  const seconds = (performance.now() - started) / 1000;
  ends.sort((a, b) => a - b);
  const firstBatch = Math.min(run.maxBatch, run.jobs) - 1;
  const steadySeconds = ((ends.at(-1) ?? 0) - (ends[firstBatch] ?? 0)) / 1000;
  const mainThreadBusy = performance.eventLoopUtilization(loopBefore).utilization;
  const cpu = process.cpuUsage(cpuBefore);
  const calls = model.take();
  await worker.close(0);
  await events.close();
  await parts.close();
  await redis.quit();
  return {
    tier: run.tier,
    batch: run.maxBatch,
    jobs: run.jobs,
    inHand: run.inHand ?? 2,
    seconds: round2(seconds),
    clipsPerSecond: round2(run.jobs / seconds),
    steadyClipsPerSecond: round2(
      steadySeconds > 0 ? (run.jobs - firstBatch - 1) / steadySeconds : run.jobs / seconds,
    ),
    modelBusy: round2(calls.busyMs / 1000 / seconds),
    jobsPerCall: round2(calls.jobsPerCall),
    mainThreadBusy: round2(mainThreadBusy),
    cpuMsPerClip: round2((cpu.user + cpu.system) / 1000 / run.jobs),
  };
}
