// /video-schedule on Discord: the real discord.js adapter against the local fake Discord, schedules
// run by BullMQ job schedulers on the test's Redis, clips made by the real worker.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useDiscordStacks } from '../support/discord-scenarios.ts';
import { seenKind } from '../support/discord-seen.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type DiscordStack, GUILD } from '../support/discord-stack.ts';
import type { FakeMessage } from '../support/fake-discord/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const CLIPS = '920000000000000003';
/** Runs every 2 s: schedules in these tests may run that often (production: every 15 minutes at most). */
const EVERY_2S = '*/2 * * * * *';
const LIMITS = { maxPerTenant: 3, minGapMs: 2_000, catchUpMs: 3_000 };

describe('/video-schedule on Discord', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { lines, start: startStack } = useDiscordStacks(redis, bundled);
  const start = () =>
    startStack({ schedules: LIMITS, guilds: [{ id: GUILD, channels: [{ id: CHANNEL }, { id: CLIPS }] }] });
  const schedule = async (
    s: DiscordStack,
    verb: string,
    options: Record<string, string | number>,
    as: { userId?: string; memberPermissions?: string } = {},
  ): Promise<string> => {
    const values = Object.entries(options).map(([name, value]) => ({
      name,
      type: typeof value === 'number' ? 4 : 3,
      value,
    }));
    const answer = await s.command(
      as.userId ?? ALICE,
      'video-schedule',
      [{ name: verb, type: 1, options: values }],
      as.memberPermissions ?? ADMIN,
    );
    expect(answer.flags & 64).toBe(64); // ephemeral: for the asker alone
    return answer.content;
  };
  const posts = (s: DiscordStack) =>
    s.fake.messages({ channelId: CLIPS }).filter((m) => m.content.startsWith('🗓️') && !m.deleted);
  const clips = (s: DiscordStack) => posts(s).filter((m) => seenKind(m) === 'done');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('an admin schedules a clip: each run posts it in the channel with who scheduled it, pinging no one; non-admins are refused', async () => {
    const s = await start();
    const refused = await schedule(
      s,
      'add',
      { prompt: 'a red ball bouncing', channel: `<#${CLIPS}>`, when: EVERY_2S },
      { userId: BOB, memberPermissions: String((1n << 10n) | (1n << 11n)) },
    );
    expect(refused).toContain('Only members who can manage this server');
    const added = await schedule(s, 'add', {
      prompt: 'a red ball bouncing',
      channel: `<#${CLIPS}>`,
      when: EVERY_2S,
      caption: 'Friday!',
    });
    expect(added).toContain('Scheduled #1.');
    expect(added).toContain(`“a red ball bouncing”, caption “Friday!” in <#${CLIPS}>`);
    expect(added).toContain('When: Every 2 seconds (UTC)');
    expect(added).toMatch(/Next runs: \w{3}, \d+ \w{3} \d{4}, \d\d:\d\d; /);

    await s.startWorker();
    const clip = await s.fake.waitFor(() => clips(s)[0], 60_000);
    expect(clip.content).toContain(`🗓️ Scheduled clip #1 by <@${ALICE}> · Every 2 seconds`);
    expect(clip.content).toContain('**a red ball bouncing**');
    expect(clip.attachments[0]?.filename).toMatch(/\.mp4$/);
    expect(clip.allowedMentions).toEqual({ parse: [] });
    expect(clip.mentions.users).toEqual([]);
    expect(lines.some((l) => l.includes('scheduled clip requested'))).toBe(true);

    const listed = await schedule(s, 'list', {});
    expect(listed).toContain('Schedules here: 1 of 3.');
    expect(listed).toContain('#1: “a red ball bouncing”');
  }, 90_000);

  it('pause stops the runs, resume starts them again, remove ends them; unknown ids get a clear answer', async () => {
    const s = await start();
    await s.startWorker();
    await schedule(s, 'add', { prompt: 'a blue star spinning', channel: CLIPS, when: EVERY_2S });
    await s.fake.waitFor(() => posts(s)[0], 30_000);
    expect(await schedule(s, 'pause', { id: 1 })).toContain('Paused #1.');
    await sleep(1_000); // a run already fired may still post
    const paused = posts(s).length;
    await sleep(4_500);
    expect(posts(s).length).toBe(paused);
    expect(await schedule(s, 'list', {})).toContain('#1 (paused)');

    const resumed = await schedule(s, 'resume', { id: 1 });
    expect(resumed).toContain('Resumed #1.');
    expect(resumed).toContain('Next runs:');
    await s.fake.waitFor(() => posts(s).length > paused, 30_000);

    expect(await schedule(s, 'remove', { id: 1 })).toContain('Removed #1.');
    await sleep(1_000);
    const removed = posts(s).length;
    await sleep(4_500);
    expect(posts(s).length).toBe(removed);
    expect(await schedule(s, 'list', {})).toContain('No schedules here yet');
    expect(await schedule(s, 'remove', { id: 7 })).toContain('There is no schedule 7 here');
  }, 90_000);

  it('refuses what would fail at every run before writing it: bad times, zones, prompts, and more than the limit', async () => {
    const s = await start();
    const add = (options: Record<string, string>) =>
      schedule(s, 'add', {
        prompt: 'a green cube turning',
        channel: CLIPS,
        when: 'every friday 18:00',
        ...options,
      });
    expect(await add({ when: 'every blursday' })).toContain('I cannot read "every blursday" as a time');
    expect(await add({ timezone: 'Mars/Olympus' })).toContain('"Mars/Olympus" is not a time zone');
    expect(await add({ when: '* * * * * *' })).toContain(
      'That runs every second; schedules here may run at most every 2 seconds.',
    );
    expect(await add({ channel: 'not a channel!' })).toContain('Name the channel');
    const berlin = await add({ timezone: 'Europe/Berlin' });
    expect(berlin).toContain('When: At 18:00, only on Friday (Europe/Berlin), from "every friday 18:00"');
    expect(berlin).toMatch(/Next runs: Fri, \d+ \w{3} \d{4}, 18:00; Fri/);
    await add({});
    await add({});
    expect(await add({})).toContain('has 3 schedules, the most it may have');
    expect(await schedule(s, 'list', {})).toContain('Schedules here: 3 of 3.');
  }, 60_000);

  it('limits apply to scheduled runs: a refused run is told to the owner by DM and logged, never posted', async () => {
    const s = await start();
    const changed = await s.command(
      ALICE,
      'video-admin',
      [{ name: 'user_clips_per_hour', type: 4, value: 1 }],
      ADMIN,
    );
    expect(changed.content).toMatch(/^Changed:/);
    await s.startWorker();
    await schedule(s, 'add', { prompt: 'a yellow ball rolling', channel: CLIPS, when: EVERY_2S });
    const dm = await s.fake.waitFor(
      () =>
        s.fake
          .messages()
          .find(
            (m: FakeMessage) => m.channelId !== CLIPS && m.channelId !== CHANNEL && m.content.includes('🚫'),
          ),
      30_000,
    );
    expect(dm.content).toContain(`🗓️ Scheduled clip #1 by <@${ALICE}>`);
    expect(dm.content).toMatch(/Try again <t:\d+:t>/);
    expect(posts(s).filter((m) => seenKind(m) === 'refused')).toEqual([]);
    await s.fake.waitFor(() => lines.some((l) => l.includes('a clip the bot posts on its own was refused')));
  }, 60_000);
});
