import type { Logger } from 'pino';
import { createSpineParts } from '../app/index.ts';
import type { Config } from '../config/index.ts';
import { type Dashboard, startDashboard } from '../dashboard/index.ts';
import { loadManifest } from '../model/manifest.ts';
import { createRedis } from '../redis/index.ts';
import { startBot } from './bot.ts';
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
  const redis = createRedis(redisUrl, { role: 'worker', logger });
  const parts = createSpineParts(redis, {
    prefix: config.keyPrefix,
    limits: config.admission.limits,
    retention: config.jobRetention,
    logger,
  });
  const bot = await startBot({
    parts,
    connect: () => createRedis(redisUrl, { role: 'worker', logger }),
    adapters: chatAdapters(config, redis, logger, manifest, parts.artifacts),
    manifest,
    blocklist: config.admission.blocklist,
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
  return {
    close: async () => {
      await bot.close();
      await dashboard?.close();
      await parts.close();
      await redis.quit();
    },
  };
}
