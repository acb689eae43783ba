import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AdmissionLimits } from '../../../src/admission/index.ts';
import { createSpineParts } from '../../../src/app/index.ts';
import { RedisArtifactStore } from '../../../src/artifacts/index.ts';
import { startBot } from '../../../src/bot/index.ts';
import type { RequestHandler } from '../../../src/core/index.ts';
import type { ModelManifest, VideoModel } from '../../../src/model/index.ts';
import { createRedis } from '../../../src/redis/index.ts';
import { type GenerateWorker, startGenerateWorker } from '../../../worker/generate-worker.ts';
import { TimedArtifacts } from './timed-artifacts.ts';
import { TimingAdapter } from './timing-adapter.ts';

export interface BenchSpineOptions {
  redisUrl: string;
  /** Every key and queue of this spine is under it, so measurements never see each other's jobs. */
  prefix: string;
  limits: AdmissionLimits;
  manifest: ModelManifest;
  logger: Logger;
}

/** Moments (performance.now(), ms) of one generate job on the worker. */
export interface JobMoments {
  activeAt?: number;
  completedAt?: number;
}

/** The bot core, wired as in production but with the timing adapter, and a worker started on demand. */
export interface BenchSpine {
  handler: RequestHandler;
  adapter: TimingAdapter;
  artifacts: TimedArtifacts;
  /** Starts the generate worker on `model`; BullMQ's 'active' and 'completed' events are timed. */
  startWorker(model: VideoModel): Promise<GenerateWorker>;
  jobMoments(jobId: string): JobMoments;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;

export async function openBenchSpine(options: BenchSpineOptions): Promise<BenchSpine> {
  const { prefix, logger, manifest } = options;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = createRedis(options.redisUrl, { role: 'worker', logger });
    connections.push(redis);
    return redis;
  };
  const redis = connect();
  const artifacts = new TimedArtifacts(new RedisArtifactStore(redis, DAY_MS, `${prefix}:artifact:`));
  const parts = createSpineParts(redis, { prefix, limits: options.limits, artifacts });
  const adapter = new TimingAdapter();
  const bot = await startBot({
    parts,
    connect,
    adapters: [adapter],
    manifest,
    logger,
  });
  const moments = new Map<string, JobMoments>();
  const moment = (jobId: string | undefined, key: keyof JobMoments) => {
    if (jobId === undefined) return;
    moments.set(jobId, { ...moments.get(jobId), [key]: performance.now() });
  };
  let worker: GenerateWorker | undefined;
  return {
    handler: bot.handler,
    adapter,
    artifacts,
    startWorker: async (model) => {
      if (worker) throw new Error('this spine already has a worker');
      worker = await startGenerateWorker({
        model,
        parts,
        connection: connect(),
        subscriber: connect(),
        logger,
      });
      worker.worker.on('active', (job) => moment(job.id, 'activeAt'));
      worker.worker.on('completed', (job) => moment(job.id, 'completedAt'));
      return worker;
    },
    jobMoments: (jobId) => moments.get(jobId) ?? {},
    close: async () => {
      await worker?.close(1_000);
      await bot.close();
      await parts.close();
      for (const c of connections) c.disconnect();
    },
  };
}
