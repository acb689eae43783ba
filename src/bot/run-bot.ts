import type { Logger } from 'pino';
import { createSpineParts } from '../app/index.ts';
import type { Config } from '../config/index.ts';
import { type Dashboard, startDashboard } from '../dashboard/index.ts';
import { startHealthServer } from '../http/index.ts';
import { loadManifest } from '../model/manifest.ts';
import { createRedis, untilReady } from '../redis/index.ts';
import { startBot } from './bot.ts';
import { createBotMetrics } from './bot-metrics.ts';
import { chatAdapters } from './chat-adapters.ts';

/** A running bot process: its adapters, the use cases, delivery, and the dashboard when configured. */
export interface RunningBot {
  close(): Promise<void>;
}

/**
 * Starts the bot process's work against Redis at `redisUrl`: reads the model's manifest (for its
 * tiers and limits; the model itself runs in the worker), builds the spine's parts, starts the bot
 * core with the configured chat adapters, and the operators' dashboard when CLIPBOT_DASHBOARD_PORT is set.
 */
export async function runBot(config: Config, redisUrl: string, logger: Logger): Promise<RunningBot> {
  const { manifest } = await loadManifest(config.model.manifestPath);
  // Requests fail fast while Redis is down (a clear answer, not a hung one): a producer connection.
  const redis = createRedis(redisUrl, { role: 'producer', logger });
  await untilReady(redis, redisUrl, 15_000);
  const parts = createSpineParts(redis, {
    prefix: config.keyPrefix,
    limits: config.admission.limits,
    retention: config.jobRetention,
    logger,
  });
  const metrics = createBotMetrics();
  redis.on('reconnecting', () => metrics.redisReconnects.inc());
  const adapters = await chatAdapters({
    config,
    redis,
    logger,
    manifest,
    artifacts: parts.artifacts,
    metrics,
  });
  const bot = await startBot({
    metrics,
    parts,
    connect: () => createRedis(redisUrl, { role: 'worker', logger }),
    adapters,
    manifest,
    blocklist: config.admission.blocklist,
    schedules: config.schedules,
    logger,
  }).catch(async (error: unknown) => {
    await parts.close();
    await redis.quit();
    throw error;
  });
  let dashboard: Dashboard | undefined;
  if (config.dashboard.port !== undefined && config.dashboard.token) {
    dashboard = await startDashboard({
      port: config.dashboard.port,
      token: config.dashboard.token,
      queues: [parts.generate, ...parts.deliver.values()],
      logger,
    });
    logger.info({ port: dashboard.port }, 'queue dashboard on http://127.0.0.1 (token required)');
  }
  const health = await startHealthServer(config.bot.port, metrics.registry, async () => {
    const redisUp = redis.status === 'ready';
    const workers = redisUp ? await parts.workers.alive().catch(() => 0) : 0;
    metrics.redisUp.set(redisUp ? 1 : 0);
    metrics.workersAlive.set(workers);
    const connected = Object.fromEntries(adapters.map((a) => [a.platform, a.connected()]));
    for (const [platform, up] of Object.entries(connected))
      metrics.adaptersConnected.set({ platform }, up ? 1 : 0);
    const adaptersUp = Object.values(connected).every(Boolean);
    return {
      ok: redisUp && workers > 0 && adaptersUp,
      redis: redisUp ? 'up' : 'down',
      workers,
      platforms: bot.platforms,
      adapters: Object.fromEntries(
        Object.entries(connected).map(([platform, up]) => [platform, up ? 'connected' : 'disconnected']),
      ),
    };
  });
  logger.info({ port: health.port, platforms: bot.platforms }, 'bot ready');
  return {
    close: async () => {
      health.server.close();
      await bot.close();
      await dashboard?.close();
      await parts.close();
      await redis.quit();
    },
  };
}
