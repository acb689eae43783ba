import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeTeam } from '../support/fake-slack/index.ts';
import {
  APP_TOKEN,
  boltApp,
  CHANNEL,
  type CommandArgs,
  handlesLeft,
  liveHandles,
  SIGNING_SECRET,
  stopOnce,
  TEAM,
  USER,
} from '../support/fake-slack-bolt.ts';

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
