import type { AddressInfo } from 'node:net';
import type { App, BlockButtonAction } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack/index.ts';
import {
  type ButtonArgs,
  boltApp,
  CHANNEL,
  type CommandArgs,
  handlesLeft,
  liveHandles,
  OTHER_USER,
  SIGNING_SECRET,
  type StepArgs,
  stopOnce,
  TEAM,
  USER,
} from '../support/fake-slack-bolt.ts';

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
