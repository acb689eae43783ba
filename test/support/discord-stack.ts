import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { loadCommands, modelFacts } from '../../commands/index.ts';
import { DiscordAdapter } from '../../src/adapters/discord/index.ts';
import type { ScheduleLimits } from '../../src/bot/index.ts';
import type { ModelManifest, VideoModel } from '../../src/model/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import { seenKind } from './discord-seen.ts';
import {
  FakeDiscord,
  type FakeGuild,
  type FakeMessage,
  type SlashCommandOption,
} from './fake-discord/index.ts';
import type { useLocalRedis } from './local-redis.ts';
import { startTestBot, startTestWorker, type TestBot } from './test-spine.ts';

export const GUILD = '920000000000000001';
export const CHANNEL = '920000000000000002';
export const ALICE = '820000000000000001';
export const BOB = '820000000000000002';
/** Manage Messages (1 << 13) on top of a plain member's View Channel and Send Messages. */
export const MODERATOR = String((1n << 13n) | (1n << 10n) | (1n << 11n));
/** Manage Server (1 << 5) on top of View Channel and Send Messages. */
export const ADMIN = String((1n << 5n) | (1n << 10n) | (1n << 11n));

/**
 * The Discord bot as its process runs it, in this process: the real adapter logged in to a local
 * fake Discord, the bot core on the test's Redis, and the worker with the bundled model when asked.
 */
export interface DiscordStack {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  bot: TestBot;
  prefix: string;
  worker?: GenerateWorker;
  startWorker(): Promise<GenerateWorker>;
  /**
   * Stops the bot and starts another on the same Redis and fake: a restarted bot process, down for
   * `downMs` (default: no time).
   */
  restartBot(downMs?: number): Promise<void>;
  /** /video in the test guild's channel. */
  video(
    userId: string,
    prompt: string,
    options?: { seed?: number; quality?: string; private?: boolean },
  ): Promise<{ interactionId: string; token: string }>;
  /**
   * A member uses a command (its options as Discord sends them) in the test guild's channel;
   * resolves with its answer once it shows more than "thinking" (a private answer's text).
   */
  command(
    userId: string,
    name: string,
    options: SlashCommandOption[],
    memberPermissions?: string,
  ): Promise<FakeMessage>;
  /** The message that answers an interaction (its original response), once it shows more than "thinking". */
  answer(interactionId: string, kind?: string, timeoutMs?: number): Promise<FakeMessage>;
  close(): Promise<void>;
}

/** The model a stack's worker runs and its manifest, which the bot reads (the bundled model, usually). */
export interface ModelUnderTest {
  readonly model: VideoModel;
  readonly manifest: ModelManifest;
}

export async function startDiscordStack(
  redis: ReturnType<typeof useLocalRedis>,
  bundled: ModelUnderTest,
  options: {
    guilds?: FakeGuild[];
    logger?: Logger;
    onBotTokenRefused?: () => void;
    onRateLimited?: () => void;
    schedules?: ScheduleLimits;
  } = {},
): Promise<DiscordStack> {
  const fake = await FakeDiscord.start({
    guilds: options.guilds ?? [{ id: GUILD, channels: [{ id: CHANNEL }] }],
  });
  const prefix = `d${randomUUID().slice(0, 8)}`;
  const commands = [...(await loadCommands()).values()];
  const adapter = () =>
    new DiscordAdapter({
      token: fake.token,
      apiUrl: fake.apiUrl,
      uploadLimitBytes: 10 * 1024 * 1024,
      logger: options.logger ?? pino({ level: 'silent' }),
      commands,
      facts: modelFacts(bundled.manifest),
      ...(options.onBotTokenRefused ? { onBotTokenRefused: options.onBotTokenRefused } : {}),
      ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
    });
  const first = adapter();
  // The bot core logs where the adapter does (settings changes, delivery failures).
  const botOptions = {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.schedules ? { schedules: options.schedules } : {}),
  };
  const stack: DiscordStack = {
    fake,
    adapter: first,
    prefix,
    bot: await startTestBot(redis, { prefix, adapters: [first], manifest: bundled.manifest, ...botOptions }),
    async startWorker() {
      stack.worker = await startTestWorker(redis, bundled.model, stack.bot.parts);
      return stack.worker;
    },
    async restartBot(downMs = 0) {
      await stack.bot.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      stack.adapter = adapter();
      stack.bot = await startTestBot(redis, {
        prefix,
        adapters: [stack.adapter],
        manifest: bundled.manifest,
        ...botOptions,
      });
    },
    video: (userId, prompt, o = {}) =>
      fake.slashCommand({
        userId,
        guildId: GUILD,
        channelId: CHANNEL,
        name: 'video',
        options: [
          { name: 'prompt', type: 3, value: prompt },
          ...(o.seed !== undefined ? [{ name: 'seed', type: 4, value: o.seed }] : []),
          { name: 'quality', type: 3, value: o.quality ?? 'low' },
          ...(o.private ? [{ name: 'private', type: 5, value: true }] : []),
        ],
      }),
    async command(userId, name, options, memberPermissions) {
      const sent = await fake.slashCommand({
        userId,
        guildId: GUILD,
        channelId: CHANNEL,
        name,
        options,
        ...(memberPermissions ? { memberPermissions } : {}),
      });
      return fake.waitFor(() =>
        fake.messages().find((m) => m.interactionId === sent.interactionId && m.content !== ''),
      );
    },
    answer: (interactionId, kind, timeoutMs = 60_000) =>
      fake.waitFor(
        () =>
          fake
            .messages()
            .find(
              (m) =>
                m.interactionId === interactionId &&
                seenKind(m) !== 'thinking' &&
                (kind === undefined || seenKind(m) === kind),
            ),
        timeoutMs,
      ),
    async close() {
      await stack.worker?.close(0);
      await stack.bot.close();
      await fake.stop();
    },
  };
  return stack;
}
