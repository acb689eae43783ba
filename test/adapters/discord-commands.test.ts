// /video-queue and /video-admin on Discord: the real discord.js adapter against a local fake Discord,
// the real queue and tenant settings in Redis.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useDiscordStacks } from '../support/discord-scenarios.ts';
import { seenKind } from '../support/discord-seen.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type DiscordStack, GUILD } from '../support/discord-stack.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const OTHER_CHANNEL = '920000000000000003';

describe('/video-queue and /video-admin on Discord', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { lines, start: startStack } = useDiscordStacks(redis, bundled);
  const start = () =>
    startStack({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }, { id: OTHER_CHANNEL }] }] });
  const admin = (
    s: DiscordStack,
    userId: string,
    options: { name: string; type: number; value: string | number | boolean }[],
    memberPermissions?: string,
  ) => s.command(userId, 'video-admin', options, memberPermissions);

  it('/video-queue answers its asker alone: their job with its place and a Discord timestamp, the limits here', async () => {
    const s = await start();
    const mine = await s.video(ALICE, 'a red ball bouncing', { seed: 1 });
    await s.answer(mine.interactionId, 'queued');
    const theirs = await s.video(BOB, 'a blue square sliding', { seed: 2 });
    await s.answer(theirs.interactionId, 'queued');
    const asked = await s.fake.slashCommand({
      userId: ALICE,
      guildId: GUILD,
      channelId: CHANNEL,
      name: 'video-queue',
    });
    const answer = await s.fake.waitFor(() =>
      s.fake.messages().find((m) => m.interactionId === asked.interactionId && m.content !== ''),
    );
    expect(answer.ephemeralTo).toBe(ALICE);
    expect(s.fake.callbacks.find((c) => c.interactionId === asked.interactionId)?.flags).toBe(64);
    expect(answer.content).toContain('a red ball bouncing');
    expect(answer.content).not.toContain('a blue square sliding');
    expect(answer.content).toMatch(/<t:\d+:R>/);
    expect(answer.allowedMentions).toEqual({ parse: [] });
  });

  it('/video-admin is refused to a member without Manage Server, and changes nothing', async () => {
    const s = await start();
    const answer = await admin(s, BOB, [{ name: 'enabled', type: 5, value: false }]);
    expect(answer.ephemeralTo).toBe(BOB);
    expect(answer.content).toMatch(/Only members who can manage this server/);
    const { interactionId } = await s.video(ALICE, 'a red ball bouncing', { seed: 1 });
    await s.answer(interactionId, 'queued');
  });

  it("an admin's changes apply at once: off, then on in one channel only; each change is logged with who made it", async () => {
    const s = await start();
    const off = await admin(s, ALICE, [{ name: 'enabled', type: 5, value: false }], ADMIN);
    expect(off.ephemeralTo).toBe(ALICE);
    const refused = await s.video(BOB, 'a red ball bouncing', { seed: 1 });
    const refusal = await s.answer(refused.interactionId, 'refused');
    expect(refusal.content).toMatch(/switched off here/);
    // Refusals are for their asker alone: an ephemeral follow-up, and the public "thinking…" removed.
    expect(refusal.ephemeralTo).toBe(BOB);
    await s.fake.waitFor(
      () => s.fake.messages().filter((m) => m.interactionId === refused.interactionId).length === 1,
    );

    await admin(
      s,
      ALICE,
      [
        { name: 'enabled', type: 5, value: true },
        { name: 'allow_channel', type: 3, value: `<#${OTHER_CHANNEL}>` },
      ],
      ADMIN,
    );
    const here = await s.video(BOB, 'a green ball falling', { seed: 2 });
    expect((await s.answer(here.interactionId, 'refused')).content).toMatch(
      /don't make videos in this channel/,
    );
    const there = await s.fake.slashCommand({
      userId: BOB,
      guildId: GUILD,
      channelId: OTHER_CHANNEL,
      name: 'video',
      options: [
        { name: 'prompt', type: 3, value: 'a green ball falling' },
        { name: 'quality', type: 3, value: 'low' },
      ],
    });
    const queued = await s.answer(there.interactionId);
    expect(seenKind(queued)).toBe('queued');

    const changes = lines.filter((line) => line.includes('"msg":"tenant settings changed"'));
    expect(changes).toHaveLength(2);
    expect(changes.every((line) => line.includes(ALICE))).toBe(true);
  });
});
