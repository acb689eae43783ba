// /video on Discord end to end: the real discord.js adapter logged in to a local fake Discord, the
// real queue, worker, ffmpeg and bundled model.
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyBook } from '../../src/replies/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import { seenKind } from '../support/discord-seen.ts';
import {
  ALICE,
  BOB,
  CHANNEL,
  type DiscordStack,
  MODERATOR,
  startDiscordStack,
} from '../support/discord-stack.ts';
import type { FakeMessage } from '../support/fake-discord/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const buttonOf = (message: FakeMessage, action: string): string => {
  for (const row of message.components as { components: { custom_id: string }[] }[])
    for (const button of row.components)
      if (button.custom_id.startsWith(`video:${action}:`)) return button.custom_id;
  throw new Error(`no ${action} button on ${message.content}`);
};

describe('/video on Discord, from slash command to uploaded MP4', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  let stack: DiscordStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  const start = async () => {
    stack = await startDiscordStack(redis, bundled);
    return stack;
  };

  it('defers at once, then edits in order queued → running → done, ending in one MP4 equal to the stored clip', async () => {
    const s = await start();
    const { interactionId } = await s.video(ALICE, 'a red ball bouncing on a white background', { seed: 5 });
    const queued = await s.answer(interactionId, 'queued');
    expect(queued.ephemeralTo).toBeUndefined();
    // No worker runs yet: the reply says generation is down rather than promise a time.
    expect(queued.content).toMatch(/video generation is down right now/);
    await s.startWorker();
    const done = await s.answer(interactionId, 'done');
    await new Promise((r) => setTimeout(r, 300)); // a late progress edit, were there one, lands now

    const kinds = s.fake.history(done.id).map((state) => seenKind(state));
    const firstOf = (kind: string) => kinds.indexOf(kind);
    expect(kinds[0]).toBe('thinking');
    expect(firstOf('queued')).toBeLessThan(firstOf('running'));
    expect(firstOf('running')).toBeLessThan(firstOf('done'));
    expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
    expect(kinds.at(-1)).toBe('done');
    expect(s.fake.callbacks.find((c) => c.interactionId === interactionId)).toMatchObject({ type: 5 });

    const current = s.fake.messages().find((m) => m.id === done.id) as FakeMessage;
    expect(current.attachments).toHaveLength(1);
    expect(current.content).toMatch(/\*\*a red ball bouncing on a white background\*\*\nseed 5 · low/);
    const record = await new ReplyBook(s.bot.parts.redis, s.prefix).record('discord', interactionId);
    const stored = await s.bot.parts.artifacts.get(`clip-${record?.jobId}`);
    const served = Buffer.from(await (await fetch(current.attachments[0]?.url as string)).arrayBuffer());
    expect(stored && Buffer.compare(served, Buffer.from(stored))).toBe(0);
  });

  it('a private /video is deferred ephemeral and every state is seen by its requester alone', async () => {
    const s = await start();
    await s.startWorker();
    const { interactionId } = await s.video(ALICE, 'a blue square slides to the left', { private: true });
    const done = await s.answer(interactionId, 'done');
    expect(done.ephemeralTo).toBe(ALICE);
    expect(s.fake.callbacks.find((c) => c.interactionId === interactionId)?.flags).toBe(64);
    expect(s.fake.messages({ visibleTo: BOB }).some((m) => m.id === done.id)).toBe(false);
  });

  it('a prompt with @everyone and mentions pings no one: every message carries allowed_mentions parse []', async () => {
    const s = await start();
    await s.startWorker();
    const { interactionId } = await s.video(ALICE, `@everyone <@${BOB}> <@&920000000000000009> a red ball`, {
      seed: 3,
    });
    const done = await s.answer(interactionId, 'done');
    for (const state of s.fake.history(done.id).slice(1)) {
      expect(state.allowedMentions).toMatchObject({ parse: [] });
      expect(state.mentions).toEqual({ everyone: false, users: [], roles: [] });
    }
  });

  it('a /video in a DM works, as the user’s own tenant', async () => {
    const s = await start();
    await s.startWorker();
    const sent = await s.fake.slashCommand({
      userId: ALICE,
      name: 'video',
      options: [
        { name: 'prompt', type: 3, value: 'a yellow star rises at night' },
        { name: 'quality', type: 3, value: 'low' },
      ],
    });
    await s.answer(sent.interactionId, 'done');
    const record = await new ReplyBook(s.bot.parts.redis, s.prefix).record('discord', sent.interactionId);
    expect(record?.tenantKey).toBe(`discord:dm:${ALICE}`);
  });

  it('Cancel, Reroll and Delete work after the bot process restarts; others are told no, to themselves alone', async () => {
    const s = await start();
    const first = await s.video(ALICE, 'a green ball falls against black', { seed: 8 });
    const queued = await s.answer(first.interactionId, 'queued');
    await s.restartBot();

    // Bob may not cancel Alice's request: the answer is an ephemeral follow-up to him.
    await s.fake.pressButton({ userId: BOB, messageId: queued.id, customId: buttonOf(queued, 'cancel') });
    const refusal = await s.fake.waitFor(() =>
      s.fake.messages({ visibleTo: BOB }).find((m) => m.ephemeralTo === BOB && seenKind(m) === 'notice'),
    );
    expect(refusal.content).toMatch(/Only the person who asked for this video/);
    expect(s.fake.messages({ visibleTo: ALICE }).some((m) => m.id === refusal.id)).toBe(false);

    await s.fake.pressButton({ userId: ALICE, messageId: queued.id, customId: buttonOf(queued, 'cancel') });
    const cancelled = await s.answer(first.interactionId, 'cancelled');
    expect(buttonOf(cancelled, 'reroll')).toMatch(/^video:reroll:/);

    await s.startWorker();
    await s.restartBot();
    const reroll = await s.fake.pressButton({
      userId: ALICE,
      messageId: cancelled.id,
      customId: buttonOf(cancelled, 'reroll'),
    });
    const rerolled = await s.fake.waitFor(
      () => s.fake.messages().find((m) => m.interactionId === reroll.interactionId && seenKind(m) === 'done'),
      60_000,
    );
    expect(rerolled.content).toMatch(/\*\*a green ball falls against black\*\*/);
    expect(rerolled.content).not.toMatch(/seed 8 /);

    await s.restartBot();
    await s.fake.pressButton({ userId: BOB, messageId: rerolled.id, customId: buttonOf(rerolled, 'delete') });
    await s.fake.waitFor(() =>
      s.fake.messages({ visibleTo: BOB }).filter((m) => m.ephemeralTo === BOB && seenKind(m) === 'notice')
        .length === 2
        ? true
        : undefined,
    );
    expect(s.fake.messages().some((m) => m.id === rerolled.id)).toBe(true);
    await s.fake.pressButton({
      userId: ALICE,
      messageId: rerolled.id,
      customId: buttonOf(rerolled, 'delete'),
    });
    await s.fake.waitFor(() => !s.fake.messages().some((m) => m.id === rerolled.id));
  });

  it('a moderator (Manage Messages) may delete anyone’s clip', async () => {
    const s = await start();
    await s.startWorker();
    const { interactionId } = await s.video(ALICE, 'a white star slides left', { seed: 2 });
    const done = await s.answer(interactionId, 'done');
    await s.fake.pressButton({
      userId: BOB,
      messageId: done.id,
      customId: buttonOf(done, 'delete'),
      memberPermissions: MODERATOR,
    });
    await s.fake.waitFor(() => !s.fake.messages().some((m) => m.id === done.id));
  });

  it('a bot process restarted while its job runs still ends the reply in exactly one clip', async () => {
    const s = await start();
    const { interactionId } = await s.video(ALICE, 'a red triangle moves right', { seed: 4 });
    await s.answer(interactionId, 'queued');
    await s.startWorker();
    await s.answer(interactionId, 'running');
    await s.restartBot();
    const done = await s.answer(interactionId, 'done');
    await new Promise((r) => setTimeout(r, 500));
    const states = s.fake.history(done.id).map((state) => seenKind(state));
    expect(states.filter((k) => k === 'done')).toHaveLength(1);
    expect(s.fake.messages({ channelId: CHANNEL }).filter((m) => seenKind(m) === 'done')).toHaveLength(1);
  });
});
