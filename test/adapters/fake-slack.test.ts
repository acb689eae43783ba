import type { AddressInfo } from 'node:net';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeTeam } from '../support/fake-slack/index.ts';

const SIGNING_SECRET = 'fake-slack-signing-secret';
const APP_TOKEN = 'xapp-1-A0000000001-1000000000001-fakeslackapptoken0001';
const USER = 'U0000000U01';
const OTHER_USER = 'U0000000U02';
const CHANNEL = 'C0000000001';
const TEAM: FakeTeam = {
  id: 'T0000000001',
  name: 'Clip Team',
  botToken: 'xoxb-1000000000001-2000000000001-fakeslackbottoken000001',
  botUserId: 'U0000000B01',
  channels: [{ id: CHANNEL, name: 'general', members: [USER, OTHER_USER] }],
  admins: [USER],
};

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

/** TCP servers, sockets and timers alive in this process: what a test run must not leave behind. */
const liveHandles = () =>
  process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP') || kind === 'Timeout').length;

/** The live handles once closed ones are released (Node frees a closed handle a moment after `close`). */
async function handlesLeft(before: number): Promise<number> {
  for (let waited = 0; liveHandles() > before && waited < 1_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return liveHandles();
}

/** Stops the app, then the fake (a Socket Mode client that loses the fake first would reconnect), once. */
function stopOnce(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stop();
    return stopping;
  };
}

/** A Bolt app as the adapter builds one; each gets its own clientOptions, since Bolt mutates them. */
function boltApp(fake: FakeSlack, options: { socket?: boolean } = {}): App {
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

describe('the fake Slack, with a real Bolt app on its HTTP receiver', () => {
  let fake: FakeSlack;
  let app: App;
  const commands: CommandArgs[] = [];
  const presses: ButtonArgs[] = [];
  const steps: StepArgs[] = [];
  let handlesBefore = 0;
  const stop = stopOnce(async () => {
    await app?.stop();
    await fake?.stop();
  });

  const command = async (text: string) => {
    const sent = await fake.slashCommand({ userId: USER, channelId: CHANNEL, text });
    const args = await fake.waitFor(() => commands.find((c) => c.body.trigger_id === sent.triggerId));
    return { sent, args };
  };

  beforeAll(async () => {
    handlesBefore = liveHandles();
    fake = await FakeSlack.start({ signingSecret: SIGNING_SECRET, teams: [TEAM], fileShareDelayMs: 50 });
    app = boltApp(fake);
    app.command('/video', async (args) => {
      await args.ack();
      commands.push(args);
    });
    app.action<BlockButtonAction>(/^video:/, async (args) => {
      await args.ack();
      presses.push(args);
    });
    app.function('generate_video', async (args) => void steps.push(args));
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    fake.appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(() => stop());

  it('when the app starts, then Bolt checks its token with auth.test', async () => {
    const check = await fake.waitFor(() =>
      fake.calls.find((call) => call.method === 'auth.test' && call.status),
    );
    expect(check).toMatchObject({ token: TEAM.botToken, ok: true });
  });

  it('when a user runs /video, then the command arrives with its text, is acked at once, and a post then an update make its history', async () => {
    const { sent, args } = await command('a red fox --seed 7');
    expect(args.command).toMatchObject({
      command: '/video',
      text: 'a red fox --seed 7',
      user_id: USER,
      channel_id: CHANNEL,
      team_id: TEAM.id,
      response_url: sent.responseUrl,
    });
    expect(sent.ack).toMatchObject({ status: 200, body: '', timedOut: false });
    expect(sent.ack.afterMs).toBeLessThan(3_000);

    const posted = await args.client.chat.postMessage({ channel: CHANNEL, text: 'queued (1st)' });
    await args.client.chat.update({ channel: CHANNEL, ts: posted.ts as string, text: 'running 40%' });
    expect(fake.history(posted.ts as string).map((state) => state.text)).toEqual([
      'queued (1st)',
      'running 40%',
    ]);
    expect(fake.messages(CHANNEL).find((m) => m.ts === posted.ts)).toMatchObject({
      userId: TEAM.botUserId,
      text: 'running 40%',
    });
  });

  it('when the bot uploads with files.uploadV2 into a thread, then the bytes arrive whole, are shared there later, and can be deleted', async () => {
    const { args } = await command('a cat');
    const parent = await args.client.chat.postMessage({ channel: CHANNEL, text: 'done' });
    const clip = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 251));
    const uploaded = await args.client.files.uploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts as string,
      file: clip,
      filename: 'clip.mp4',
      title: 'a cat',
    });
    // uploadV2 answers one files.completeUploadExternal result per destination.
    const completed = (uploaded as unknown as { files: { files: { id: string }[] }[] }).files;
    const fileId = completed[0]?.files[0]?.id ?? '';
    // The answer has the file but no message: sharing is asynchronous.
    expect(fake.messages(CHANNEL).some((m) => m.files?.includes(fileId))).toBe(false);

    const share = await fake.waitFor(() => fake.messages(CHANNEL).find((m) => m.files?.includes(fileId)));
    expect(share.threadTs).toBe(parent.ts);
    const file = fake.files.find((candidate) => candidate.id === fileId);
    expect(file?.bytes.equals(clip)).toBe(true);
    expect(file).toMatchObject({
      name: 'clip.mp4',
      title: 'a cat',
      channels: [CHANNEL],
      threadTs: parent.ts,
    });
    const info = await args.client.files.info({ file: fileId });
    expect(info.file?.permalink).toBe(file?.permalink);
    expect(info.file?.shares?.public?.[CHANNEL]?.[0]?.ts).toBe(share.ts);
    const served = await fetch(file?.urlPrivate ?? '', {
      headers: { Authorization: `Bearer ${TEAM.botToken}` },
    });
    expect(Buffer.from(await served.arrayBuffer()).equals(clip)).toBe(true);

    await args.client.files.delete({ file: fileId });
    expect(fake.files.some((candidate) => candidate.id === fileId)).toBe(false);
    expect(fake.messages(CHANNEL).find((m) => m.ts === share.ts)?.files).toEqual([]);
  });

  it('when a user presses a button, then the action arrives, is acked, and an ephemeral reaches that user alone', async () => {
    const { args } = await command('a dog');
    const posted = await args.client.chat.postMessage({
      channel: CHANNEL,
      text: 'done',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'video:reroll:j1',
              text: { type: 'plain_text', text: 'Reroll' },
              value: 'j1',
            },
          ],
        },
      ],
    });
    const sent = await fake.pressButton({
      userId: OTHER_USER,
      channelId: CHANNEL,
      messageTs: posted.ts as string,
      actionId: 'video:reroll:j1',
    });
    const press = await fake.waitFor(() => presses.find((p) => p.body.trigger_id === sent.triggerId));
    expect(press.action).toMatchObject({ action_id: 'video:reroll:j1', value: 'j1' });
    expect(press.body.message?.ts).toBe(posted.ts);
    expect(sent.ack.status).toBe(200);

    await press.client.chat.postEphemeral({ channel: CHANNEL, user: OTHER_USER, text: 'rerolling' });
    await press.respond({ response_type: 'ephemeral', replace_original: false, text: 'queued again' });
    expect(fake.ephemerals(OTHER_USER).map((e) => [e.text, e.source])).toEqual([
      ['rerolling', 'chat.postEphemeral'],
      ['queued again', 'response_url'],
    ]);
    expect(fake.ephemerals(USER)).toEqual([]);
    expect(fake.messages(CHANNEL).find((m) => m.ts === posted.ts)?.text).toBe('done');
  });

  it('when the app responds to a press without replace_original: false, then the pressed message is replaced, as for legacy interactive messages', async () => {
    const { args } = await command('a bird');
    const posted = await args.client.chat.postMessage({
      channel: CHANNEL,
      text: 'running',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'video:cancel:j2', text: { type: 'plain_text', text: 'Cancel' } },
          ],
        },
      ],
    });
    const sent = await fake.pressButton({
      userId: USER,
      channelId: CHANNEL,
      messageTs: posted.ts as string,
      actionId: 'video:cancel:j2',
    });
    const press = await fake.waitFor(() => presses.find((p) => p.body.trigger_id === sent.triggerId));
    await press.respond({ response_type: 'ephemeral', text: 'cancelled' });
    expect(fake.history(posted.ts as string).map((state) => state.text)).toEqual(['running', 'cancelled']);
  });

  it('when the bot opens a DM with a user and looks them up, then the DM is one channel per user and admins are marked', async () => {
    const first = await app.client.conversations.open({ users: USER });
    const again = await app.client.conversations.open({ users: USER });
    expect(first.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(first.channel?.id);
    expect(fake.dmChannel(USER)).toBe(first.channel?.id);
    await app.client.chat.postMessage({ channel: first.channel?.id as string, text: 'your clip' });
    expect(fake.messages(first.channel?.id).map((m) => m.text)).toEqual(['your clip']);
    const admin = await app.client.users.info({ user: USER });
    const member = await app.client.users.info({ user: OTHER_USER });
    expect([admin.user?.is_admin, member.user?.is_admin]).toEqual([true, false]);
  });

  it('when a request has a bad signature or a timestamp older than 5 minutes, then Bolt refuses it with 401', async () => {
    const body = new URLSearchParams({ command: '/video', text: 'forged', team_id: TEAM.id }).toString();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const now = Math.floor(Date.now() / 1000);
    const forged = await fake.sendRaw('/slack/events', body, {
      ...form,
      'X-Slack-Request-Timestamp': String(now),
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });
    const stale = await fake.sendRaw('/slack/events', body, { ...form, ...fake.sign(body, now - 301) });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(commands.some((c) => c.command.text === 'forged')).toBe(false);
  });

  it('when chat.postMessage answers ratelimited with Retry-After: 1, then the web client waits it out and succeeds', async () => {
    fake.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const posted = await app.client.chat.postMessage({ channel: CHANNEL, text: 'after the limit' });
    expect(posted.ok).toBe(true);
    const attempts = fake.calls.filter((call) => call.args.text === 'after the limit');
    expect(attempts.map((call) => [call.status, call.error])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('when the bot is not in the channel, then chat.postMessage fails with not_in_channel', async () => {
    fake.notInChannel(CHANNEL);
    const error = await app.client.chat
      .postMessage({ channel: CHANNEL, text: 'hello?' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'not_in_channel' } });
  });

  it('when a workflow runs the step, then app.function gets its inputs and complete() reaches functions.completeSuccess once', async () => {
    const run = await fake.runWorkflowStep({ callbackId: 'generate_video', inputs: { prompt: 'a cat' } });
    const step = await fake.waitFor(() =>
      steps.find((s) => s.body.event.function_execution_id === run.executionId),
    );
    expect(step.inputs).toEqual({ prompt: 'a cat' });
    expect(run.token).toMatch(/^xwfp-/);

    await step.complete({ outputs: { file_id: 'F1', permalink: 'https://clip-team.slack.com/files/F1' } });
    expect(fake.completions).toEqual([
      {
        executionId: run.executionId,
        kind: 'success',
        outputs: { file_id: 'F1', permalink: 'https://clip-team.slack.com/files/F1' },
        tokenKind: 'workflow',
      },
    ]);
    expect(fake.calls.findLast((call) => call.method === 'functions.completeSuccess')?.token).toBe(run.token);
    // The step's token dies with the step; the bot token finds no running execution.
    await expect(step.complete({ outputs: {} })).rejects.toMatchObject({ data: { error: 'token_revoked' } });
    await expect(
      app.client.functions.completeError({ function_execution_id: run.executionId, error: 'again' }),
    ).rejects.toMatchObject({ data: { error: 'function_execution_not_found' } });
    expect(fake.completions).toHaveLength(1);
  });

  it('when Slack redelivers an event, then Bolt sees the same event with its retry number and reason', async () => {
    const run = await fake.runWorkflowStep({ callbackId: 'generate_video', inputs: { prompt: 'a dog' } });
    const again = await fake.redeliver('lastEvent');
    expect(again.status).toBe(200);
    const arrivals = await fake.waitFor(() => {
      const found = steps.filter((s) => s.body.event.function_execution_id === run.executionId);
      return found.length === 2 && found;
    });
    expect(arrivals.map((s) => [s.body.event_id, s.context.retryNum, s.context.retryReason])).toEqual([
      [arrivals[0]?.body.event_id, undefined, undefined],
      [arrivals[0]?.body.event_id, 1, 'http_timeout'],
    ]);
  });

  it('when the app and then the fake stop, then none of their servers, sockets or timers is left', async () => {
    await stop();
    expect(await handlesLeft(handlesBefore)).toBeLessThanOrEqual(handlesBefore);
  });
});

describe('the fake Slack, with a real Bolt app in Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;
  const commands: CommandArgs[] = [];
  let handlesBefore = 0;
  const stop = stopOnce(async () => {
    await app?.stop();
    await fake?.stop();
  });

  beforeAll(async () => {
    handlesBefore = liveHandles();
    fake = await FakeSlack.start({ signingSecret: SIGNING_SECRET, appToken: APP_TOKEN, teams: [TEAM] });
    app = boltApp(fake, { socket: true });
    app.command('/video', async (args) => {
      await args.ack(args.command.text === 'help' ? 'usage: /video <prompt>' : undefined);
      commands.push(args);
    });
    await app.start();
  });

  afterAll(() => stop());

  it('when the app connects, then it opened the socket with the app token and got hello', () => {
    expect(fake.socketConnections).toBe(1);
    expect(fake.calls.find((call) => call.method === 'apps.connections.open')).toMatchObject({
      token: APP_TOKEN,
      ok: true,
    });
  });

  it('when a user runs /video, then it arrives over the WebSocket and is acked; an ack with text is shown to the user', async () => {
    const sent = await fake.slashCommand({ userId: USER, channelId: CHANNEL, text: 'a red fox' });
    expect(sent.ack).toMatchObject({ status: 200, body: '', timedOut: false });
    expect(fake.deliveries.at(-1)).toMatchObject({ kind: 'slash_commands', transport: 'socket' });
    const args = await fake.waitFor(() => commands.find((c) => c.body.trigger_id === sent.triggerId));
    expect(args.command.text).toBe('a red fox');

    const help = await fake.slashCommand({ userId: USER, channelId: CHANNEL, text: 'help' });
    expect(JSON.parse(help.ack.body)).toEqual({ text: 'usage: /video <prompt>' });
    expect(fake.ephemerals(USER).at(-1)).toMatchObject({ text: 'usage: /video <prompt>', source: 'ack' });
  });

  it('when the socket drops, then the client reconnects through apps.connections.open and a later command arrives', async () => {
    fake.dropSocket();
    expect(fake.socketConnections).toBe(0);
    await fake.waitFor(() => fake.socketConnections === 1);
    expect(fake.calls.filter((call) => call.method === 'apps.connections.open')).toHaveLength(2);
    const sent = await fake.slashCommand({ userId: USER, channelId: CHANNEL, text: 'after the drop' });
    expect(sent.ack.status).toBe(200);
    await fake.waitFor(() => commands.find((c) => c.body.trigger_id === sent.triggerId));
  });

  it('when the app and then the fake stop, then the socket client leaves no connection or timer', async () => {
    await stop();
    expect(await handlesLeft(handlesBefore)).toBeLessThanOrEqual(handlesBefore);
  });
});

describe('the fake Slack, installing a real Bolt app through OAuth in two teams', () => {
  const OTHER_TEAM: FakeTeam = {
    id: 'T0000000002',
    name: 'Other Team',
    botToken: 'xoxb-1000000000002-2000000000002-fakeslackbottoken000002',
    botUserId: 'U0000000B02',
    channels: [{ id: 'C0000000002', name: 'general' }],
  };
  let fake: FakeSlack;
  let app: App;
  let origin = '';
  const commands: CommandArgs[] = [];
  const stop = stopOnce(async () => {
    await app?.stop();
    await fake?.stop();
  });

  beforeAll(async () => {
    fake = await FakeSlack.start({
      signingSecret: SIGNING_SECRET,
      teams: [TEAM, OTHER_TEAM],
      clientId: '1000000000001.1000000000001',
      clientSecret: 'fake-client-secret',
    });
    app = new App({
      signingSecret: SIGNING_SECRET,
      clientId: '1000000000001.1000000000001',
      clientSecret: 'fake-client-secret',
      stateSecret: 'fake-state-secret',
      scopes: ['commands', 'chat:write', 'files:write'],
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/video', async (args) => {
      await args.ack();
      commands.push(args);
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake.appUrl = `${origin}/slack/events`;
  });

  afterAll(() => stop());

  it('when admins of two teams install the app, then oauth.v2.access answers each team its own token and commands act with it', async () => {
    const installs = [
      await fake.installApp(TEAM.id, `${origin}/slack/install`),
      await fake.installApp(OTHER_TEAM.id, `${origin}/slack/install`),
    ];
    expect(installs.map((install) => install.status)).toEqual([200, 200]);
    expect(fake.calls.filter((call) => call.method === 'oauth.v2.access').map((call) => call.ok)).toEqual([
      true,
      true,
    ]);

    const sent = await fake.slashCommand({
      teamId: OTHER_TEAM.id,
      userId: USER,
      channelId: 'C0000000002',
      text: 'hi',
    });
    const args = await fake.waitFor(() => commands.find((c) => c.body.trigger_id === sent.triggerId));
    expect([args.context.teamId, args.context.botToken]).toEqual([OTHER_TEAM.id, OTHER_TEAM.botToken]);
    const refused = await app.client.oauth.v2
      .access({ client_id: '1000000000001.1000000000001', client_secret: 'fake-client-secret', code: 'used' })
      .catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ data: { error: 'invalid_code' } });
  });
});
