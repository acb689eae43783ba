import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AdmissionLimiter, type AdmissionLimits, ClipCache } from '../admission/index.ts';
import { type ArtifactStore, RedisArtifactStore } from '../artifacts/index.ts';
import type { GenerateJobData } from '../core/index.ts';
import { createDeliverQueues, type DeliverQueues } from '../delivery/index.ts';
import { JobEndings } from '../jobs/index.ts';
import { createLogger } from '../logging/index.ts';
import {
  CancelRequests,
  DEFAULT_JOB_RETENTION,
  FairOrder,
  type JobRetention,
  RunTimeAverage,
  retentionOptions,
  WorkerHeartbeats,
} from '../queue/index.ts';
import { logQueueErrors } from '../redis/index.ts';

export interface SpinePartsOptions {
  /** Prefix of every key and queue (CLIPBOT_KEY_PREFIX). */
  prefix: string;
  limits: AdmissionLimits;
  /** Where MP4s wait; default: Redis with `artifactTtlMs`. */
  artifacts?: ArtifactStore;
  /** How long clips are kept for delivery and the clip cache; default 24 h. */
  artifactTtlMs?: number;
  /** How long finished generate and deliver jobs are kept; default DEFAULT_JOB_RETENTION. */
  retention?: JobRetention;
  /** Where the queues' errors go (one line each); default: a fresh root logger. */
  logger?: Logger;
}

/** The shared state of the spine, the same in the bot, the worker, tests and benchmarks. */
export interface SpineParts {
  prefix: string;
  redis: Redis;
  generate: Queue<GenerateJobData>;
  /** One per platform: each bot process consumes only its platforms' replies. */
  deliver: DeliverQueues;
  limiter: AdmissionLimiter;
  cache: ClipCache;
  fair: FairOrder;
  runTimes: RunTimeAverage;
  artifacts: ArtifactStore;
  cancels: CancelRequests;
  /** Which workers are alive (each beats while it runs). */
  workers: WorkerHeartbeats;
  endings: JobEndings;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;

/**
 * Builds the queues and Redis-backed parts over one connection, with every key under `prefix`: the
 * one place that names them, so the bot and the workers always agree.
 */
export function createSpineParts(redis: Redis, options: SpinePartsOptions): SpineParts {
  const { prefix } = options;
  const ttlMs = options.artifactTtlMs ?? DAY_MS;
  const logger = options.logger ?? createLogger();
  const retention = options.retention ?? DEFAULT_JOB_RETENTION;
  const generate = new Queue<GenerateJobData>('generate', {
    connection: redis,
    prefix,
    defaultJobOptions: retentionOptions(retention),
  });
  logQueueErrors(generate, logger, 'queue generate');
  const deliver = createDeliverQueues(redis, prefix, { logger, retention });
  const limiter = new AdmissionLimiter(redis, options.limits, prefix);
  const cache = new ClipCache(redis, ttlMs, `${prefix}:clip:`);
  return {
    prefix,
    redis,
    generate,
    deliver,
    limiter,
    cache,
    fair: new FairOrder(redis, prefix),
    runTimes: new RunTimeAverage(redis, `${prefix}:run-ms`, 5_000),
    artifacts: options.artifacts ?? new RedisArtifactStore(redis, ttlMs, `${prefix}:artifact:`),
    cancels: new CancelRequests(redis, prefix),
    workers: new WorkerHeartbeats(redis, prefix),
    endings: new JobEndings({ limiter, cache, deliver, redis, prefix }),
    close: async () => {
      await Promise.all([generate.close(), ...[...deliver.values()].map((queue) => queue.close())]);
    },
  };
}
