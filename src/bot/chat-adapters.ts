import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadCommands, modelFacts, videoCommand } from '../../commands/index.ts';
import type { ArtifactStore } from '../artifacts/index.ts';
import { type Config, configuredPlatforms } from '../config/index.ts';
import type { ChatAdapter, Platform } from '../core/index.ts';
import type { ModelManifest } from '../model/manifest.ts';
import type { BotMetrics } from './bot-metrics.ts';

/** What the adapters of one bot process are built from. */
export interface AdapterDeps {
  config: Config;
  redis: Redis;
  logger: Logger;
  /** /video's model: its tiers and ranges, for the grammar and help of adapters that read text. */
  manifest: ModelManifest;
  /** The spine's store: adapters that link to clips serve them from it. */
  artifacts: ArtifactStore;
  metrics?: Pick<BotMetrics, 'authFailures' | 'rateLimitWaits'>;
}

/**
 * The chat adapters this bot process runs, from config: the platforms configured and this process's
 * to serve (clipbot start runs one bot process per platform). Each platform's SDK is imported only
 * by the process that serves it: discord.js and Bolt must not share a process (DESIGN.md).
 */
export async function chatAdapters(deps: AdapterDeps): Promise<ChatAdapter[]> {
  const { config, logger } = deps;
  const adapters: ChatAdapter[] = [];
  const serves = (platform: Platform) =>
    configuredPlatforms(config).includes(platform) && (config.bot.platforms?.includes(platform) ?? true);
  if (serves('playground')) {
    const { PlaygroundAdapter } = await import('../adapters/playground/index.ts');
    adapters.push(
      new PlaygroundAdapter({
        ...config.playground,
        redis: deps.redis,
        artifacts: deps.artifacts,
        keyPrefix: config.keyPrefix,
        uploadLimitBytes: config.media.maxBytes,
        logger: logger.child({ platform: 'playground' }),
        video: videoCommand.define(modelFacts(deps.manifest)),
      }),
    );
  }
  if (serves('discord') && config.discord) {
    const { DiscordAdapter } = await import('../adapters/discord/index.ts');
    adapters.push(
      new DiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        uploadLimitBytes: config.media.maxBytes,
        logger: logger.child({ platform: 'discord' }),
        onBotTokenRefused: () => deps.metrics?.authFailures.inc({ platform: 'discord' }),
        onRateLimited: () => deps.metrics?.rateLimitWaits.inc({ platform: 'discord' }),
        commands: [...(await loadCommands()).values()],
        facts: modelFacts(deps.manifest),
      }),
    );
  }
  if (serves('slack') && config.slack) {
    const { SlackAdapter } = await import('../adapters/slack/index.ts');
    const { oauth, ...slack } = config.slack;
    adapters.push(
      new SlackAdapter({
        ...slack,
        ...(oauth ? { oauth: await slackOAuth(oauth, deps) } : {}),
        redis: deps.redis,
        keyPrefix: config.keyPrefix,
        uploadLimitBytes: config.media.maxBytes,
        logger: logger.child({ platform: 'slack' }),
        commands: [...(await loadCommands()).values()],
        facts: modelFacts(deps.manifest),
      }),
    );
  }
  if (adapters.length === 0)
    logger.warn(
      { serves: config.bot.platforms },
      'no chat adapter to run here: set CLIPBOT_PLAYGROUND=true, DISCORD_TOKEN or the Slack settings',
    );
  return adapters;
}

/** Bolt's OAuth installer for many workspaces, its installations kept in Redis. */
async function slackOAuth(
  oauth: { clientId: string; clientSecret: string; stateSecret: string },
  deps: AdapterDeps,
) {
  const { RedisInstallationStore, SLACK_BOT_SCOPES } = await import('../adapters/slack/index.ts');
  const installationStore = new RedisInstallationStore(deps.redis, deps.config.keyPrefix, deps.logger);
  return { ...oauth, installationStore, scopes: SLACK_BOT_SCOPES };
}
