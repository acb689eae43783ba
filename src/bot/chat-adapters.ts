import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { modelFacts, videoCommand } from '../../commands/index.ts';
import { PlaygroundAdapter } from '../adapters/playground/index.ts';
import type { ArtifactStore } from '../artifacts/index.ts';
import { type Config, configuredPlatforms } from '../config/index.ts';
import type { ChatAdapter, Platform } from '../core/index.ts';
import type { ModelManifest } from '../model/manifest.ts';

/**
 * The chat adapters this bot process runs, from config: today the web playground. The manifest
 * gives /video its model's tiers and ranges, for the grammar and help of adapters that read text;
 * `artifacts` (the spine's store) serves finished clips to adapters that link to them.
 */
export function chatAdapters(
  config: Config,
  redis: Redis,
  logger: Logger,
  manifest: ModelManifest,
  artifacts: ArtifactStore,
): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  const video = videoCommand.define(modelFacts(manifest));
  // Configured, and this process's to serve (clipbot start runs one bot process per platform).
  const serves = (platform: Platform) =>
    configuredPlatforms(config).includes(platform) && (config.bot.platforms?.includes(platform) ?? true);
  if (serves('playground')) {
    adapters.push(
      new PlaygroundAdapter({
        ...config.playground,
        redis,
        artifacts,
        keyPrefix: config.keyPrefix,
        uploadLimitBytes: config.media.maxBytes,
        logger: logger.child({ platform: 'playground' }),
        video,
      }),
    );
  }
  if (adapters.length === 0)
    logger.warn({ serves: config.bot.platforms }, 'no chat adapter to run here: set CLIPBOT_PLAYGROUND=true');
  return adapters;
}
