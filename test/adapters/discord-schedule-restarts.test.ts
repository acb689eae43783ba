// Schedules across restarts: they live in Redis (BullMQ job schedulers), so a restarted bot and
// worker go on with them; a run missed while the bot was down runs once at start-up when the miss
// is short, and is skipped (logged) when it is long — never a burst of catch-up clips.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useDiscordStacks } from '../support/discord-scenarios.ts';
import { seenKind } from '../support/discord-seen.ts';
import { ADMIN, ALICE, CHANNEL, type DiscordStack } from '../support/discord-stack.ts';
import { useLocalRedis } from '../support/local-redis.ts';

/** The catch-up window here is 3 s (production: an hour). */
const LIMITS = { maxPerTenant: 5, minGapMs: 1_000, catchUpMs: 3_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cron rule that runs once a day, at the UTC second `at` falls in. */
function onceAt(at: number): string {
  const d = new Date(at);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

describe('schedules across restarts', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { lines, start: startStack } = useDiscordStacks(redis, bundled);
  const start = () => startStack({ schedules: LIMITS });
  const add = async (s: DiscordStack, when: string) => {
    const values = [
      { name: 'prompt', type: 3, value: 'a red ball bouncing' },
      { name: 'when', type: 3, value: when },
    ];
    const answer = await s.command(
      ALICE,
      'video-schedule',
      [{ name: 'add', type: 1, options: values }],
      ADMIN,
    );
    expect(answer.content).toContain('Scheduled #');
  };
  const posts = (s: DiscordStack) =>
    s.fake.messages({ channelId: CHANNEL }).filter((m) => m.content.startsWith('🗓️'));

  it('goes on after the bot and the worker restart: the schedule is in Redis, not in a process', async () => {
    const s = await start();
    await s.startWorker();
    await add(s, '*/2 * * * * *');
    await s.fake.waitFor(() => posts(s).find((m) => seenKind(m) === 'done'), 30_000);
    await s.worker?.close(0);
    await s.restartBot(500);
    const before = posts(s).length;
    await s.startWorker();
    const after = await s.fake.waitFor(
      () =>
        posts(s)
          .slice(before)
          .find((m) => seenKind(m) === 'done'),
      30_000,
    );
    expect(after.attachments).toHaveLength(1);
  }, 90_000);

  it('a run missed by less than the catch-up window runs once at start-up', async () => {
    const s = await start();
    const due = Date.now() + 3_000;
    await add(s, onceAt(due));
    // Down from before the run until 1.5 s after it.
    await s.restartBot(due - Date.now() + 1_500);
    await s.fake.waitFor(() => posts(s)[0], 10_000);
    await sleep(3_000);
    expect(posts(s).map((m) => m.id)).toHaveLength(1);
    expect(lines.some((l) => l.includes('scheduled clip requested'))).toBe(true);
  }, 60_000);

  it('a run missed by more than the catch-up window is skipped and logged, and nothing is posted', async () => {
    const s = await start();
    const due = Date.now() + 3_000;
    await add(s, onceAt(due));
    await s.restartBot(due - Date.now() + 4_500);
    await s.fake.waitFor(() =>
      lines.some((l) => l.includes('a scheduled run was missed while clipbot was down and is skipped')),
    );
    await sleep(2_000);
    expect(posts(s)).toEqual([]);
    const skipped = JSON.parse(lines.find((l) => l.includes('is skipped')) as string);
    expect(skipped).toMatchObject({ scheduleId: 1, level: 40 });
    expect(skipped.lateMs).toBeGreaterThan(3_000);
  }, 60_000);
});
