import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PlaygroundAdapter } from '../adapters/playground/index.ts';
import type { Config } from '../config/index.ts';
import type { ChatAdapter } from '../core/index.ts';

/** The chat adapters this bot process runs, from config: today the web playground. */
export function chatAdapters(config: Config, redis: Redis, logger: Logger): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  if (config.playground.enabled) {
    adapters.push(
      new PlaygroundAdapter({
        ...config.playground,
        redis,
        keyPrefix: config.keyPrefix,
        uploadLimitBytes: config.media.maxBytes,
        logger: logger.child({ platform: 'playground' }),
      }),
    );
  }
  if (adapters.length === 0) logger.warn('no chat adapter is configured: set CLIPBOT_PLAYGROUND=true');
  return adapters;
}
