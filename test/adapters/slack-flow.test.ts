// /video on Slack end to end: the real Bolt app (HTTP receiver and Socket Mode) against a local fake
// Slack, the real queue, worker, ffmpeg and bundled model.
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyBook } from '../../src/replies/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import type { FakeSlackMessage } from '../support/fake-slack/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type SlackStack, startSlackStack } from '../support/slack-stack.ts';

const actionOf = (message: FakeSlackMessage, action: string): string => {
  const found = JSON.stringify(message.blocks).match(new RegExp(`"action_id":"(video:${action}:[^"]+)"`));
  if (!found) throw new Error(`no ${action} button on ${message.text}`);
  return found[1] as string;
};

describe('/video on Slack, from slash command to uploaded MP4', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  let stack: SlackStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  const start = async (options: Parameters<typeof startSlackStack>[2] = {}) => {
    stack = await startSlackStack(redis, bundled, options);
    return stack;
  };
  /** The channel message (not in a thread) that answers `triggerId`'s command, once it shows `kind`. */
  const reply = (s: SlackStack, kind: string, before = new Set<string>()) =>
    s.fake.waitFor(
      () =>
        s.fake
          .messages(CHANNEL)
          .find((m) => !m.threadTs && !before.has(m.ts) && slackSeenKind(m.text) === kind),
      60_000,
    );

  for (const socket of [false, true])
    it(`over ${socket ? 'Socket Mode' : 'HTTP'}: acked at once, then chat.update in order queued → running → done, and one MP4 in the thread equal to the stored clip`, async () => {
      const s = await start({ socket });
      const sent = await s.fake.slashCommand({
        userId: ALICE,
        channelId: CHANNEL,
        text: 'a red ball bouncing --quality low --seed 5',
      });
      expect(sent.ack.status).toBe(200);
      expect(sent.ack.afterMs).toBeLessThan(3_000);
      await reply(s, 'queued');
      await s.startWorker();
      const done = await reply(s, 'done');
      await new Promise((r) => setTimeout(r, 300)); // a late progress update, were there one, lands now
      const kinds = s.fake.history(done.ts).map((state) => slackSeenKind(state.text));
      expect(kinds[0]).toBe('starting');
      expect(kinds.indexOf('queued')).toBeLessThan(kinds.indexOf('running'));
      expect(kinds.indexOf('running')).toBeLessThan(kinds.indexOf('done'));
      expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
      expect(slackSeenKind(s.fake.messages(CHANNEL).find((m) => m.ts === done.ts)?.text ?? '')).toBe('done');
      const files = s.fake.files.filter((f) => f.threadTs === done.ts);
      expect(files).toHaveLength(1);
      const record = await new ReplyBook(s.bot.parts.redis, s.prefix).record('slack', sent.triggerId);
      const stored = await s.bot.parts.artifacts.get(`clip-${record?.jobId}`);
      expect(stored && Buffer.compare(files[0]?.bytes as Buffer, Buffer.from(stored))).toBe(0);
      expect(actionOf(done, 'reroll')).toMatch(/^video:reroll:/);
    });

  it('in Socket Mode, connected() follows the socket: false once it drops, true again after the reconnect, which loses no command', async () => {
    const s = await start({ socket: true });
    expect(s.adapter.connected()).toBe(true);
    s.fake.dropSocket();
    // The Socket Mode client notices a dropped socket within its ping timeout (5 s by default).
    await s.fake.waitFor(() => !s.adapter.connected(), 20_000);
    await s.fake.waitFor(() => s.adapter.connected() && s.fake.socketConnections > 0, 20_000);
    await s.fake.slashCommand({ userId: ALICE, channelId: CHANNEL, text: 'a blue ball rises --quality low' });
    await reply(s, 'queued');
  });

  it('refuses a bad signature and a stale timestamp, and queues a retried delivery once', async () => {
    const s = await start();
    const body =
      'command=%2Fvideo&text=a+red+ball&team_id=T0000000001&user_id=U0000000A01&channel_id=C0000000001&trigger_id=1.2.3';
    const now = Math.floor(Date.now() / 1000);
    const forged = { ...s.fake.sign(body, now), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
    expect(
      (
        await s.fake.sendRaw('/slack/events', body, {
          'content-type': 'application/x-www-form-urlencoded',
          ...forged,
        })
      ).status,
    ).toBe(401);
    const stale = s.fake.sign(body, now - 6 * 60);
    expect(
      (
        await s.fake.sendRaw('/slack/events', body, {
          'content-type': 'application/x-www-form-urlencoded',
          ...stale,
        })
      ).status,
    ).toBe(401);
    expect(s.fake.messages(CHANNEL)).toEqual([]);

    await s.fake.slashCommand({ userId: ALICE, channelId: CHANNEL, text: 'a blue ball rises --quality low' });
    await reply(s, 'queued');
    expect((await s.fake.redeliver('last', 1)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.fake.messages(CHANNEL).filter((m) => !m.threadTs)).toHaveLength(1);
    expect(await s.bot.parts.generate.getJobCountByTypes('waiting', 'prioritized')).toBe(1);
  });

  it('waits out a ratelimited chat.update for its Retry-After', async () => {
    const s = await start();
    s.fake.failNext('chat.update', { error: 'ratelimited', retryAfter: 1 });
    await s.fake.slashCommand({
      userId: ALICE,
      channelId: CHANNEL,
      text: 'a green ball falls --quality low',
    });
    await reply(s, 'queued');
    const limited = s.fake.calls.find((c) => c.method === 'chat.update' && c.status === 429);
    const landed = s.fake.calls.find((c) => c.method === 'chat.update' && c.ok);
    expect(limited && landed && landed.at - limited.at).toBeGreaterThanOrEqual(900);
  });

  it('in a channel the bot is not in: an ephemeral hint to /invite it, and no job', async () => {
    const s = await start();
    s.fake.notInChannel(CHANNEL);
    await s.fake.slashCommand({ userId: ALICE, channelId: CHANNEL, text: 'a red ball --quality low' });
    const hint = await s.fake.waitFor(() =>
      s.fake.ephemerals(ALICE).find((e) => e.text.includes('/invite @clipbot')),
    );
    expect(hint.channelId).toBe(CHANNEL);
    expect(await s.bot.parts.generate.getJobCountByTypes('waiting', 'prioritized', 'active')).toBe(0);
  });

  it('--private: progress and the clip come by DM, and nothing is posted in the channel', async () => {
    const s = await start();
    await s.startWorker();
    await s.fake.slashCommand({
      userId: ALICE,
      channelId: CHANNEL,
      text: 'a yellow star rises --quality low --private',
    });
    const dm = s.fake.dmChannel(ALICE);
    const done = await s.fake.waitFor(
      () => s.fake.messages(dm).find((m) => !m.threadTs && slackSeenKind(m.text) === 'done'),
      60_000,
    );
    // Slack shares an uploaded file a moment after files.completeUploadExternal answers.
    await s.fake.waitFor(() => s.fake.files.some((f) => f.threadTs === done.ts && f.channels.includes(dm)));
    expect(s.fake.messages(CHANNEL)).toEqual([]);
  });

  it('Cancel, Reroll and Delete work after the bot restarts; others are told no, ephemerally; an admin may delete', async () => {
    const s = await start();
    await s.fake.slashCommand({
      userId: ALICE,
      channelId: CHANNEL,
      text: 'a white star slides left --quality low --seed 8',
    });
    const queued = await reply(s, 'queued');
    await s.restartBot();
    await s.fake.pressButton({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: queued.ts,
      actionId: actionOf(queued, 'cancel'),
    });
    const no = await s.fake.waitFor(() =>
      s.fake.ephemerals(BOB).find((e) => /Only the person who asked/.test(e.text)),
    );
    expect(no.userId).toBe(BOB);
    await s.fake.pressButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: queued.ts,
      actionId: actionOf(queued, 'cancel'),
    });
    const cancelled = await reply(s, 'cancelled');
    expect(JSON.stringify(cancelled.blocks)).toContain(`asked by <@${ALICE}>`);

    await s.startWorker();
    await s.restartBot();
    const before = new Set(s.fake.messages(CHANNEL).map((m) => m.ts));
    await s.fake.pressButton({
      userId: ALICE,
      channelId: CHANNEL,
      messageTs: cancelled.ts,
      actionId: actionOf(cancelled, 'reroll'),
    });
    const rerolled = await reply(s, 'done', before);
    expect(rerolled.text).toMatch(/^\*a white star slides left\*/);
    expect(rerolled.text).not.toMatch(/seed 8 /);

    await s.restartBot();
    await s.fake.pressButton({
      userId: ADMIN,
      channelId: CHANNEL,
      messageTs: rerolled.ts,
      actionId: actionOf(rerolled, 'delete'),
    });
    await s.fake.waitFor(() => !s.fake.messages(CHANNEL).some((m) => m.ts === rerolled.ts));
    await s.fake.waitFor(() => !s.fake.files.some((f) => f.threadTs === rerolled.ts));
  });
});
