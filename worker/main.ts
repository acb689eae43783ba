// The worker process: one per GPU, concurrency 1, the model loaded once and kept warm.
// Start: REDIS_URL=redis://… node --import tsx worker/main.ts   (the launcher passes REDIS_URL)
import { Queue, Worker } from 'bullmq';
import { AdmissionLimiter, ClipCache } from '../src/admission/index.ts';
import { RedisArtifactStore } from '../src/artifacts/index.ts';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import type { DeliverJobData, GenerateJobData } from '../src/core/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { FairOrder, RunTimeAverage } from '../src/queue/index.ts';
import { createRedis } from '../src/redis/index.ts';
import { createGenerateProcessor } from './generate-processor.ts';
import { startHealthServer } from './health-server.ts';
import { OnnxVideoModel } from './pipeline/index.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

const ARTIFACT_TTL_MS = 24 * 3_600_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.log).child({ process: 'worker' });
  if (!config.redis.url)
    throw new ConfigError('the worker needs REDIS_URL (npm start passes it to its worker)');
  const model = await OnnxVideoModel.load(config.model.manifestPath, {
    providers: config.model.providers,
    threads: config.model.threads,
    logger,
  });
  const prefix = config.keyPrefix;
  const redis = createRedis(config.redis.url, { role: 'worker', logger });
  const deliver = new Queue<DeliverJobData>('deliver', { connection: redis, prefix });
  const generate = new Queue<GenerateJobData>('generate', { connection: redis, prefix });
  const limiter = new AdmissionLimiter(redis, config.admission.limits, prefix);
  const cache = new ClipCache(redis, ARTIFACT_TTL_MS, `${prefix}:clip:`);
  const fair = new FairOrder(redis, prefix);
  const metrics = createWorkerMetrics(model.provider, model.name);
  const processor = createGenerateProcessor({
    model,
    artifacts: new RedisArtifactStore(redis, ARTIFACT_TTL_MS, `${prefix}:artifact:`),
    deliver,
    runTimes: new RunTimeAverage(redis, `${prefix}:run-ms`, 5_000),
    logger,
    memoryBudgetMB: config.worker.memoryBudgetMB,
    onStart: async (data, jobId) => {
      await fair.started(data.fairTag);
      await limiter.markStarted(jobId, data.tenantKey);
    },
    onDone: async (data, delivery) => {
      await cache.finish(data.fingerprint, delivery.artifactKey);
      await limiter.markFinished(delivery.jobId, data.tenantKey, data.userKey);
      metrics.completed.inc();
      metrics.runSeconds.observe({ tier: delivery.tier }, delivery.elapsedMs / 1000);
      if (delivery.fallback) metrics.fallbacks.inc({ from: delivery.fallback.from, to: delivery.tier });
    },
  });
  // maxStalledCount: a job whose worker died (kill -9) is rerun, and one that keeps killing
  // workers fails after two reruns instead of looping.
  const worker = new Worker<GenerateJobData>('generate', processor, {
    connection: createRedis(config.redis.url, { role: 'worker', logger }),
    prefix,
    concurrency: 1,
    maxStalledCount: 2,
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  worker.on('active', (job) => metrics.waitSeconds.observe((Date.now() - job.timestamp) / 1000));
  worker.on('failed', (job, err) => {
    metrics.failed.inc({ reason: (err as { code?: string }).code ?? err.name });
    logger.warn({ jobId: job?.id, err: err.message, attempts: job?.attemptsMade }, 'job failed');
  });
  const depth = setInterval(() => {
    generate.getJobCountByTypes('waiting', 'prioritized').then(
      (n) => metrics.queueDepth.set(n),
      () => undefined,
    );
  }, 5_000);
  const health = await startHealthServer(config.worker.port, metrics.registry, () => ({
    model: model.name,
    provider: model.provider,
    running: worker.isRunning(),
  }));
  logger.info({ port: health.port, provider: model.provider, model: model.name }, 'worker ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the current job');
    clearInterval(depth);
    await worker.close(); // waits for the running job; waiting jobs stay queued for other workers
    await Promise.all([deliver.close(), generate.close()]);
    health.server.close();
    await model.dispose();
    await redis.quit();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`clipbot worker failed to start: ${message}\n`);
  process.exit(1);
});
