import type { Platform } from '../core/index.ts';
import type { Config } from './config.ts';

/**
 * The chat platforms this deployment runs, one bot process each: the playground unless switched
 * off; Discord and Slack once their credentials are set (their adapters come with their issues).
 */
export function configuredPlatforms(config: Pick<Config, 'playground'>): Platform[] {
  return config.playground.enabled ? ['playground'] : [];
}
