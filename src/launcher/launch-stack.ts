import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { type Config, configuredPlatforms } from '../config/index.ts';
import { type SupervisedChild, superviseChild } from './child-supervisor.ts';
import { type KeptRedis, keepLocalRedis } from './redis-keeper.ts';
import { acquireStackLock } from './stack-lock.ts';

// Started as processes by path, not imported: the launcher imports no worker and no adapter.
const WORKER_MAIN = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));
const BOT_MAIN = fileURLToPath(new URL('../bot/main.ts', import.meta.url));
/** A bot process has this long to finish its replies on Ctrl-C before it is killed. */
const BOT_GRACE_MS = 10_000;

/**
 * `clipbot start`: everything on one machine. It takes the data folder (ending what a dead
 * predecessor left, refusing while a live one runs), keeps a private redis-server running unless
 * REDIS_URL is set, and supervises the worker and one bot process per configured platform (each
 * restarted whenever it dies; each ends itself when the launcher dies). Resolves once `signal` aborts
 * and everything has stopped, bots first, then the worker, then Redis.
 */
export async function launchStack(config: Config, logger: Logger, signal: AbortSignal): Promise<void> {
  const lock = await acquireStackLock(config.redis.dataDir, logger);
  const pids = new Map<string, number>();
  let redis: KeptRedis | undefined;
  const record = () =>
    lock
      .record({
        ...(redis ? { redis: { pid: redis.pid(), port: redis.port } } : {}),
        children: [...pids].map(([name, pid]) => ({ name, pid })),
      })
      .catch((err: unknown) => logger.warn({ err }, 'could not update the stack record'));
  let worker: SupervisedChild | undefined;
  const bots: SupervisedChild[] = [];
  try {
    let redisUrl = config.redis.url;
    if (!redisUrl) {
      redis = await keepLocalRedis(join(config.redis.dataDir, 'redis'), logger, () => void record());
      redisUrl = redis.url;
      await record();
    }
    const child = (name: string, script: string, env: NodeJS.ProcessEnv) =>
      superviseChild(
        { name, script, env: { ...process.env, REDIS_URL: redisUrl, ...env }, delays: config.restart },
        logger,
        (pid) => {
          pids.set(name, pid);
          void record();
        },
      );
    worker = child('worker', WORKER_MAIN, {});
    const platforms = configuredPlatforms(config);
    if (platforms.length === 0)
      logger.warn('no chat platform is configured: set CLIPBOT_PLAYGROUND=true or DISCORD_TOKEN');
    platforms.forEach((platform, index) => {
      // The operators' dashboard runs in the first bot process only: one port, one dashboard.
      const dashboard = index === 0 ? {} : { CLIPBOT_DASHBOARD_PORT: '' };
      const port = config.bot.port === 0 ? 0 : config.bot.port + index;
      bots.push(
        child(`bot-${platform}`, BOT_MAIN, {
          CLIPBOT_BOT_PLATFORMS: platform,
          CLIPBOT_BOT_PORT: String(port),
          ...dashboard,
        }),
      );
    });
    logger.info({ platforms }, 'clipbot is running; Ctrl-C stops it');
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    logger.info('stopping: bots, then worker, then redis');
  } finally {
    await Promise.all(bots.map((bot) => bot.stop(BOT_GRACE_MS)));
    await worker?.stop(config.worker.shutdownGraceMs + 15_000);
    await redis?.stop();
    await lock.release();
    logger.info('clipbot stopped');
  }
}
