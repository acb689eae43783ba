// What the fake Slack's own tests share: a team, and a Bolt app built as the adapter builds one.
import {
  type AllMiddlewareArgs,
  App,
  type BlockButtonAction,
  LogLevel,
  type SlackActionMiddlewareArgs,
  type SlackCommandMiddlewareArgs,
  type SlackEventMiddlewareArgs,
  SocketModeReceiver,
} from '@slack/bolt';
import type { FakeSlack, FakeTeam } from './fake-slack/index.ts';

export const SIGNING_SECRET = 'fake-slack-signing-secret';
export const APP_TOKEN = 'xapp-1-A0000000001-1000000000001-fakeslackapptoken0001';
export const USER = 'U0000000U01';
export const OTHER_USER = 'U0000000U02';
export const CHANNEL = 'C0000000001';
export const TEAM: FakeTeam = {
  id: 'T0000000001',
  name: 'Clip Team',
  botToken: 'xoxb-1000000000001-2000000000001-fakeslackbottoken000001',
  botUserId: 'U0000000B01',
  channels: [{ id: CHANNEL, name: 'general', members: [USER, OTHER_USER] }],
  admins: [USER],
};

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
export type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

/** TCP servers, sockets and timers alive in this process: what a test run must not leave behind. */
export const liveHandles = () =>
  process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP') || kind === 'Timeout').length;

/** The live handles once closed ones are released (Node frees a closed handle a moment after `close`). */
export async function handlesLeft(before: number): Promise<number> {
  for (let waited = 0; liveHandles() > before && waited < 1_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return liveHandles();
}

/** Stops the app, then the fake (a Socket Mode client that loses the fake first would reconnect), once. */
export function stopOnce(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stop();
    return stopping;
  };
}

/** A Bolt app as the adapter builds one; each gets its own clientOptions, since Bolt mutates them. */
export function boltApp(fake: FakeSlack, options: { socket?: boolean } = {}): App {
  return new App({
    token: TEAM.botToken,
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl: fake.apiUrl },
    logLevel: LogLevel.ERROR,
    ...(options.socket
      ? {
          receiver: new SocketModeReceiver({
            appToken: APP_TOKEN,
            // Reconnects 500 ms after a drop (the default waits 5 s).
            clientPingTimeout: 500,
            installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
            logLevel: LogLevel.ERROR,
          }),
        }
      : {}),
  });
}
