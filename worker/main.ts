// The worker process: one per GPU, one model call at a time (a micro-batch of compatible jobs on a
// GPU), the model loaded once and kept warm.
// Start: REDIS_URL=redis://… node --import tsx worker/main.ts   (the launcher passes REDIS_URL)

import type { Logger } from 'pino';
import { DEFAULT_BLOCKLIST, PromptModerator } from '../src/admission/index.ts';
import { createSpineParts } from '../src/app/spine-parts.ts';
import { validationRulesFor } from '../src/bot/model-rules.ts';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { startHealthServer } from '../src/http/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { canBatch, loadVideoModel, OnnxModelProcess, type VideoModel } from '../src/model/index.ts';
import { type RunningService, runServiceProcess, type StopService } from '../src/process/service-process.ts';
import { createRedis } from '../src/redis/index.ts';
import { TenantSettingsStore } from '../src/tenants/index.ts';
import { startGenerateWorker } from './generate-worker.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

async function main(): Promise<RunningService> {
  const config = loadConfig();
  const logger = createLogger(config.log).child({ process: 'worker' });
  if (!config.redis.url)
    throw new ConfigError('the worker needs REDIS_URL (npm start passes it to its worker)');
  const { model, manifest, provider } = await loadVideoModel(config.model.manifestPath, {
    providers: config.model.providers,
    threads: config.model.threads,
    // onnxruntime-node holds the calling thread for a whole call, and every ffmpeg this process spawns
    // forks it: the model gets a process of its own (src/model/process/model-process.ts says more).
    ownProcess: true,
    logger,
    ...(config.model.comfyUrl ? { comfyUrl: config.model.comfyUrl } : {}),
    ...(config.media.ffmpegPath ? { ffmpegPath: config.media.ffmpegPath } : {}),
  });
  const redis = createRedis(config.redis.url, { role: 'worker', logger });
  const parts = createSpineParts(redis, {
    prefix: config.keyPrefix,
    limits: config.admission.limits,
    retention: config.jobRetention,
    logger,
  });
  const modelProcess =
    model instanceof OnnxModelProcess
      ? () => ({ up: model.pid !== undefined, restarts: model.restarts })
      : undefined;
  const metrics = createWorkerMetrics(provider, model.name, modelProcess);
  // Warm prompts are checked as admission checks requests: the same rules, blocklist and tenants.
  const rules = validationRulesFor(manifest);
  const { worker, close } = await startGenerateWorker({
    model,
    parts,
    connection: createRedis(config.redis.url, { role: 'worker', logger }),
    subscriber: createRedis(config.redis.url, { role: 'worker', logger }),
    logger,
    memoryBudgetMB: config.worker.memoryBudgetMB,
    autoTargetMs: config.worker.autoTargetMs,
    ffmpegPath: config.media.ffmpegPath,
    lockMs: config.worker.lockMs,
    metrics,
    batch: batchingFor(model, provider, config.worker, logger),
    warm: {
      prompts: config.warmPrompts,
      rules,
      moderator: new PromptModerator([...DEFAULT_BLOCKLIST, ...config.admission.blocklist]),
      tenants: new TenantSettingsStore(redis, { keyPrefix: config.keyPrefix, tiers: rules.tiers, logger }),
      uploadLimitBytes: config.media.maxBytes,
    },
  });
  const depth = setInterval(() => {
    parts.generate.getJobCountByTypes('waiting', 'prioritized').then(
      (n) => metrics.queueDepth.set(n),
      () => undefined,
    );
  }, 5_000);
  const health = await startHealthServer(config.worker.port, metrics.registry, () => ({
    ok: redis.status === 'ready' && worker.isRunning(),
    redis: redis.status === 'ready' ? 'up' : 'down',
    model: model.name,
    provider,
    running: worker.isRunning(),
    ...(modelProcess ? { modelProcess: modelProcess().up ? 'up' : 'restarting' } : {}),
  }));
  logger.info({ port: health.port, provider, model: model.name }, 'worker ready');

  // The running job has the grace time to finish; closing the rest takes seconds more.
  const stopWithinMs = config.worker.shutdownGraceMs + 15_000;
  const stop: StopService = async (signal) => {
    logger.info({ signal, graceMs: config.worker.shutdownGraceMs }, 'stopping: finishing the current job');
    clearInterval(depth);
    // Waiting jobs stay queued for other workers; the running one finishes or is handed back.
    await close(config.worker.shutdownGraceMs);
    await parts.close();
    health.server.close();
    await model.dispose();
    await redis.quit();
    logger.info('worker stopped');
  };
  return { stop, stopWithinMs };
}

/**
 * Micro-batching pays on a GPU (several jobs in one call cost little more than one) and not on a CPU,
 * where it is off unless CLIPBOT_BATCH_MAX turns it on.
 */
function batchingFor(
  model: VideoModel,
  provider: string,
  worker: { batchMax?: number; batchWaitMs: number },
  logger: Logger,
): { maxBatch: number; gatherMs: number } {
  const wanted = worker.batchMax ?? (provider === 'cpu' ? 1 : 4);
  if (wanted > 1 && !canBatch(model)) {
    if (worker.batchMax)
      logger.warn({ model: model.name }, 'this model runs one job a call: batching is off');
    return { maxBatch: 1, gatherMs: 0 };
  }
  return { maxBatch: wanted, gatherMs: worker.batchWaitMs };
}

runServiceProcess('worker', main);
