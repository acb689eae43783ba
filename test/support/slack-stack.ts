import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { loadCommands, modelFacts } from '../../commands/index.ts';
import { RedisInstallationStore, SLACK_BOT_SCOPES, SlackAdapter } from '../../src/adapters/slack/index.ts';
import type { ScheduleLimits } from '../../src/bot/index.ts';
import type { GenerateWorker } from '../../worker/generate-worker.ts';
import type { useBundledModel } from './bundled-model.ts';
import { FakeSlack, type FakeTeam } from './fake-slack/index.ts';
import type { useLocalRedis } from './local-redis.ts';
import { startTestBot, startTestWorker, type TestBot } from './test-spine.ts';

export const SIGNING_SECRET = 'fake-slack-signing-secret-0123456789';
export const APP_TOKEN = 'xapp-1-A0000000001-fake-app-token';
export const TEAM = 'T0000000001';
export const CHANNEL = 'C0000000001';
export const ALICE = 'U0000000A01';
export const BOB = 'U0000000B02';
export const ADMIN = 'U0000000C03';
/** The app's OAuth credentials, with `oauth: true`: the fake checks them as Slack does. */
export const CLIENT_ID = '1000000000001.1000000000001';
export const CLIENT_SECRET = 'fake-slack-client-secret';
export const STATE_SECRET = 'fake-slack-state-secret';

export const TEAM_ONE: FakeTeam = {
  id: TEAM,
  botToken: 'xoxb-1-fake-bot-token-team-one',
  botUserId: 'U0000000BOT',
  channels: [{ id: CHANNEL, name: 'general' }],
  admins: [ADMIN],
};

/**
 * The Slack bot as its process runs it, in this process: the real Bolt adapter (HTTP receiver, or
 * Socket Mode) against a local fake Slack, the bot core on the test's Redis, and the worker with the
 * bundled model when asked.
 */
export interface SlackStack {
  fake: FakeSlack;
  adapter: SlackAdapter;
  bot: TestBot;
  prefix: string;
  /** With `oauth: true`: where the bot keeps each workspace's installation. */
  installations?: RedisInstallationStore;
  worker?: GenerateWorker;
  startWorker(): Promise<GenerateWorker>;
  /** With `oauth: true`: an admin installs the app in `teamId` through Bolt's /slack/install. */
  install(teamId: string): ReturnType<FakeSlack['installApp']>;
  /** Stops the bot alone (the fake and any worker keep running) until `restartBot`. */
  stopBot(): Promise<void>;
  /** Stops the bot (unless stopped) and starts another on the same Redis and fake: a restarted bot process. */
  restartBot(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlackStack(
  redis: ReturnType<typeof useLocalRedis>,
  bundled: ReturnType<typeof useBundledModel>,
  /** `oauth`: many workspaces through Bolt's OAuth installer, no bot token configured. */
  options: {
    socket?: boolean;
    teams?: FakeTeam[];
    logger?: Logger;
    oauth?: boolean;
    schedules?: ScheduleLimits;
  } = {},
): Promise<SlackStack> {
  const teams = options.teams ?? [TEAM_ONE];
  const fake = await FakeSlack.start({
    signingSecret: SIGNING_SECRET,
    ...(options.socket ? { appToken: APP_TOKEN } : {}),
    ...(options.oauth ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } : {}),
    teams,
  });
  const prefix = `s${randomUUID().slice(0, 8)}`;
  const commands = [...(await loadCommands()).values()];
  const logger = options.logger ?? pino({ level: 'silent' });
  const installations = options.oauth
    ? new RedisInstallationStore(redis.client(), prefix, logger)
    : undefined;
  const adapter = () =>
    new SlackAdapter({
      signingSecret: SIGNING_SECRET,
      ...(installations
        ? {
            oauth: {
              clientId: CLIENT_ID,
              clientSecret: CLIENT_SECRET,
              stateSecret: STATE_SECRET,
              installationStore: installations,
              scopes: SLACK_BOT_SCOPES,
            },
          }
        : { botToken: (teams[0] as FakeTeam).botToken }),
      ...(options.socket ? { appToken: APP_TOKEN } : {}),
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
      redis: redis.client(),
      keyPrefix: prefix,
      uploadLimitBytes: 10 * 1024 * 1024,
      logger,
      commands,
      facts: modelFacts(bundled.manifest),
    });
  const startBot = async (slack: SlackAdapter) => {
    const bot = await startTestBot(redis, {
      prefix,
      adapters: [slack],
      manifest: bundled.manifest,
      logger,
      ...(options.schedules ? { schedules: options.schedules } : {}),
    });
    if (!options.socket) fake.appUrl = slack.eventsUrl;
    return bot;
  };
  const first = adapter();
  let botUp = true;
  const stack: SlackStack = {
    fake,
    adapter: first,
    prefix,
    ...(installations ? { installations } : {}),
    bot: await startBot(first),
    async startWorker() {
      stack.worker = await startTestWorker(redis, bundled.model, stack.bot.parts);
      return stack.worker;
    },
    install(teamId) {
      const events = stack.adapter.eventsUrl;
      if (!installations || !events) throw new Error('install needs a started bot with oauth: true');
      return fake.installApp(teamId, events.replace(/\/slack\/events$/, '/slack/install'));
    },
    async stopBot() {
      if (botUp) await stack.bot.close();
      botUp = false;
    },
    async restartBot() {
      await stack.stopBot();
      stack.adapter = adapter();
      stack.bot = await startBot(stack.adapter);
      botUp = true;
    },
    async close() {
      await stack.worker?.close(0);
      await stack.stopBot();
      await fake.stop();
    },
  };
  return stack;
}
