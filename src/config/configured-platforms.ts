import type { Platform } from '../core/index.ts';
import type { Config } from './config.ts';

/**
 * The chat platforms this deployment runs, one bot process each: the playground unless switched
 * off; Discord when DISCORD_TOKEN is set; Slack when its signing secret and a bot token (or OAuth) are.
 */
export function configuredPlatforms(config: Pick<Config, 'playground' | 'discord' | 'slack'>): Platform[] {
  const platforms: Platform[] = [];
  if (config.playground.enabled) platforms.push('playground');
  if (config.discord) platforms.push('discord');
  if (config.slack) platforms.push('slack');
  return platforms;
}
