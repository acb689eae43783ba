// The bot process on its own (docker-compose, or several bots sharing one Redis):
//   REDIS_URL=redis://… node --import tsx src/bot/main.ts
// `clipbot start` runs the same bot inside the launcher instead.
import { ConfigError, loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { runServiceProcess, type StopService } from '../process/service-process.ts';
import { runBot } from './run-bot.ts';

async function main(): Promise<StopService> {
  const config = loadConfig();
  const logger = createLogger(config.log).child({ process: 'bot' });
  if (!config.redis.url)
    throw new ConfigError('the bot process needs REDIS_URL (clipbot start runs its own)');
  const bot = await runBot(config, config.redis.url, logger);
  return async (signal) => {
    logger.info({ signal }, 'stopping the bot');
    await bot.close();
    logger.info('bot stopped');
  };
}

runServiceProcess('bot', main);
