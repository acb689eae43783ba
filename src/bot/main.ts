// A bot process: the adapters of the platforms it serves (CLIPBOT_BOT_PLATFORMS, default all
// configured), admission and their final replies. `clipbot start` runs one per platform as its child;
// on its own (docker-compose, or several bots sharing one Redis):
//   REDIS_URL=redis://… node --import tsx src/bot/main.ts
import { ConfigError, loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { type RunningService, runServiceProcess, type StopService } from '../process/service-process.ts';
import { runBot } from './run-bot.ts';

/** Final replies in flight get this long; the deliver queue keeps the rest for the next bot. */
const BOT_STOP_MS = 8_000;

async function main(): Promise<RunningService> {
  const config = loadConfig();
  const logger = createLogger(config.log).child({ process: 'bot' });
  if (!config.redis.url)
    throw new ConfigError('the bot process needs REDIS_URL (clipbot start runs its own)');
  const bot = await runBot(config, config.redis.url, logger);
  const stop: StopService = async (signal) => {
    logger.info({ signal }, 'stopping the bot');
    await bot.close();
    logger.info('bot stopped');
  };
  return { stop, stopWithinMs: BOT_STOP_MS };
}

runServiceProcess('bot', main);
