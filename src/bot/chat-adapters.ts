import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { ChatAdapter } from '../core/index.ts';

/**
 * The chat adapters this bot process runs, from config. None exist yet: the web playground, then
 * Discord and Slack, arrive behind the same port in the next issues.
 */
export function chatAdapters(_config: Config, logger: Logger): ChatAdapter[] {
  logger.warn('no chat adapter is available yet: requests can only come from tests and benchmarks');
  return [];
}
