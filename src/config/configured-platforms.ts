import type { Platform } from '../core/index.ts';
import type { Config } from './config.ts';

/**
 * The chat platforms this deployment runs, one bot process each: the playground unless switched
 * off; Discord when DISCORD_TOKEN is set; Slack once its credentials are (its adapter comes with its issue).
 */
export function configuredPlatforms(config: Pick<Config, 'playground' | 'discord'>): Platform[] {
  const platforms: Platform[] = [];
  if (config.playground.enabled) platforms.push('playground');
  if (config.discord) platforms.push('discord');
  return platforms;
}
