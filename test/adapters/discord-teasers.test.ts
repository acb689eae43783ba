// Teasers for Discord scheduled events: the real discord.js adapter (Guild Scheduled Events intent)
// against the local fake Discord, the teaser made by the real worker through the real queue.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useDiscordStacks } from '../support/discord-scenarios.ts';
import { seenKind } from '../support/discord-seen.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type DiscordStack, GUILD } from '../support/discord-stack.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const TEASERS = '920000000000000004';
const STARTS = Date.parse('2027-01-15T18:00:00Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('teasers for Discord scheduled events', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { lines, start: startStack } = useDiscordStacks(redis, bundled);
  const start = async (teasers = true) => {
    const s = await startStack({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }, { id: TEASERS }] }] });
    if (teasers) {
      const answer = await s.command(
        ALICE,
        'video-admin',
        [
          { name: 'teaser_channel', type: 3, value: `<#${TEASERS}>` },
          { name: 'timezone', type: 3, value: 'Europe/Berlin' },
        ],
        ADMIN,
      );
      expect(answer.content).toContain(`• Teasers for new events: off → <#${TEASERS}>`);
      expect(answer.content).toContain('• Time zone for schedules: UTC → Europe/Berlin');
    }
    return s;
  };
  const teasers = (s: DiscordStack) => s.fake.messages({ channelId: TEASERS }).filter((m) => !m.deleted);
  const event = (
    s: DiscordStack,
    name: string,
    description = 'a red ball bouncing in the dark',
    creatorId = ALICE,
  ) => s.fake.createScheduledEvent({ guildId: GUILD, name, description, startsAt: STARTS, creatorId });

  it('a new event gets one teaser in the chosen channel: its name, start and link, and a caption in the clip', async () => {
    const s = await start();
    await s.startWorker();
    const created = await event(s, 'Game night');
    const teaser = await s.fake.waitFor(() => teasers(s).find((m) => seenKind(m) === 'done'), 60_000);
    expect(teaser.content).toContain(
      `📅 Teaser for **Game night**, starting <t:${STARTS / 1000}:F> · https://discord.com/events/${GUILD}/${created.id}`,
    );
    expect(teaser.content).toContain('**Game night. a red ball bouncing in the dark**');
    expect(teaser.attachments).toHaveLength(1);
    expect(teaser.mentions.users).toEqual([]);
    const [job] = await s.bot.parts.generate.getJobs(['completed']);
    expect(job?.data.caption).toBe('Game night · Fri 15 Jan, 19:00 CET');
    await sleep(1_000);
    expect(teasers(s)).toHaveLength(1);
  }, 90_000);

  it('an event edited before its teaser is done gets a teaser of the new text, and only that one', async () => {
    const s = await start();
    const created = await event(s, 'Game night');
    // At once after the create, as an organiser fixing a typo would: the edit waits for the first teaser.
    await s.fake.updateScheduledEvent(created.id, {
      name: 'Board game night',
      description: 'a blue cube turning',
    });
    const waiting = await s.fake.waitFor(() =>
      teasers(s).find((m) => m.content.includes('Board game night')),
    );
    expect(teasers(s)).toEqual([waiting]);
    // And an edit while the teaser waits in the queue.
    await s.fake.updateScheduledEvent(created.id, { description: 'a blue cube turning slowly' });
    await s.fake.waitFor(() => !teasers(s).some((m) => m.id === waiting.id));
    await s.startWorker();
    const teaser = await s.fake.waitFor(() => teasers(s).find((m) => seenKind(m) === 'done'), 60_000);
    expect(teaser.content).toContain('📅 Teaser for **Board game night**');
    expect(teaser.content).toContain('**Board game night. a blue cube turning slowly**');
    await sleep(1_500);
    expect(teasers(s).map((m) => seenKind(m))).toEqual(['done']);
    const jobs = await s.bot.parts.generate.getJobs(['completed', 'waiting', 'active']);
    expect(jobs.map((j) => j.data.prompt)).toEqual(['Board game night. a blue cube turning slowly']);
  }, 90_000);

  it('a deleted or cancelled event withdraws its teaser: the job is cancelled and the message goes', async () => {
    const s = await start();
    const deleted = await event(s, 'Quiz night');
    // Another creator: each teaser counts against its event's creator, who may have one waiting.
    const cancelled = await event(s, 'Movie night', 'a green cube spinning', BOB);
    await s.fake.waitFor(() => teasers(s).filter((m) => seenKind(m) === 'queued').length === 2);
    await s.fake.deleteScheduledEvent(deleted.id);
    await s.fake.updateScheduledEvent(cancelled.id, { status: 4 });
    await s.fake
      .waitFor(() => teasers(s).length === 0)
      .catch((e) => {
        console.log('LOGS', JSON.stringify(teasers(s)), lines.join(''));
        throw e;
      });
    expect(await s.bot.parts.generate.getWaitingCount()).toBe(0);
    await s.startWorker();
    await sleep(2_000);
    expect(teasers(s)).toEqual([]);
    expect(lines.filter((l) => l.includes('its teaser is withdrawn'))).toHaveLength(2);
  }, 60_000);

  it('without a teaser channel, new events make nothing', async () => {
    const s = await start(false);
    await s.startWorker();
    await event(s, 'Game night');
    await sleep(2_000);
    expect(s.fake.messages({ channelId: TEASERS })).toEqual([]);
    expect(await s.bot.parts.generate.getJobCounts('waiting', 'active', 'completed')).toEqual({
      waiting: 0,
      active: 0,
      completed: 0,
    });
  }, 30_000);
});
