import { join } from 'node:path';
import type { Logger } from 'pino';
import { type RunningBot, runBot } from '../bot/index.ts';
import type { Config } from '../config/index.ts';
import { type LocalRedis, startLocalRedis } from '../redis/index.ts';
import { superviseWorker } from './worker-supervisor.ts';

/**
 * `clipbot start`: everything on one machine. Without REDIS_URL a private redis-server runs under the
 * data folder (append-only); then the worker (a child process with the model, restarted if it dies)
 * and the bot. Resolves once `signal` aborts and all three have stopped, in reverse order.
 */
export async function launchStack(config: Config, logger: Logger, signal: AbortSignal): Promise<void> {
  let localRedis: LocalRedis | undefined;
  let redisUrl = config.redis.url;
  if (!redisUrl) {
    localRedis = await startLocalRedis({ dataDir: join(config.redis.dataDir, 'redis'), logger });
    redisUrl = localRedis.url;
  }
  const worker = superviseWorker({ ...process.env, REDIS_URL: redisUrl }, logger);
  let bot: RunningBot | undefined;
  try {
    bot = await runBot(config, redisUrl, logger.child({ process: 'bot' }));
    logger.info('clipbot is running; Ctrl-C stops it');
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    logger.info('stopping: bot, then worker, then redis');
  } finally {
    await bot?.close();
    await worker.stop();
    await localRedis?.stop();
    logger.info('clipbot stopped');
  }
}
