// /video schedule on Slack: the real Bolt adapter against the local fake Slack, schedules run by
// BullMQ job schedulers on the test's Redis, clips made by the real worker.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { LONG, useSlackStacks } from '../support/slack-scenarios.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { ADMIN, BOB, CHANNEL } from '../support/slack-stack.ts';

const LIMITS = { maxPerTenant: 25, minGapMs: 1_000, catchUpMs: 3_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('/video schedule on Slack', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { start, ephemeral } = useSlackStacks(redis, bundled);

  it('a workspace admin schedules a clip in the channel they type in; each run posts it there, saying it was scheduled and by whom', async () => {
    const s = await start({ schedules: LIMITS });
    await s.fake.slashCommand({
      userId: BOB,
      channelId: CHANNEL,
      text: 'schedule add --when "*/2 * * * * *" a red ball bouncing',
    });
    await ephemeral(s, BOB, /Only members who can manage this server or workspace/);
    await s.fake.slashCommand({
      userId: ADMIN,
      channelId: CHANNEL,
      text: 'schedule add --when "*/2 * * * * *" --caption "Friday!" a red ball bouncing',
    });
    const added = await ephemeral(s, ADMIN, /^Scheduled #1\./);
    expect(added.text).toContain(`“a red ball bouncing”, caption “Friday!” in <#${CHANNEL}>`);
    expect(added.text).toContain('When: Every 2 seconds (UTC)');
    expect(added.text).toContain('Change it with /video schedule pause, resume or remove');
    await s.startWorker();
    const posted = await s.fake.waitFor(
      () => s.fake.messages(CHANNEL).find((m) => !m.threadTs && slackSeenKind(m.text) === 'done'),
      LONG,
    );
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain(`:calendar: Scheduled clip #1 by <@${ADMIN}> · Every 2 seconds`);
    expect(blocks).not.toContain('asked by');
    expect(s.fake.files.filter((f) => f.threadTs === posted.ts)).toHaveLength(1); // the clip, in the thread

    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'schedule pause 1' });
    await ephemeral(s, ADMIN, /^Paused #1\./);
    await sleep(1_000);
    const paused = s.fake.messages(CHANNEL).filter((m) => !m.threadTs).length;
    await sleep(4_500);
    expect(s.fake.messages(CHANNEL).filter((m) => !m.threadTs)).toHaveLength(paused);
    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'schedule list' });
    await ephemeral(s, ADMIN, /^Schedules here: 1 of 25\.\n#1 \(paused\)/);
    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'schedule remove 1' });
    await ephemeral(s, ADMIN, /^Removed #1\./);
  }, 90_000);

  it('a run refused by a limit goes to its owner by DM, with the schedule it came from; the channel sees nothing of it', async () => {
    const s = await start({ schedules: LIMITS });
    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'admin --user_clips_per_hour 1' });
    await ephemeral(s, ADMIN, /^Changed:/);
    await s.startWorker();
    await s.fake.slashCommand({
      userId: ADMIN,
      channelId: CHANNEL,
      text: 'schedule add --when "*/2 * * * * *" a yellow ball rolling',
    });
    const dm = s.fake.dmChannel(ADMIN);
    const refused = await s.fake.waitFor(
      () => s.fake.messages(dm).find((m) => slackSeenKind(m.text) === 'refused'),
      LONG,
    );
    expect(JSON.stringify(refused.blocks)).toContain(`:calendar: Scheduled clip #1 by <@${ADMIN}>`);
    expect(refused.text).toMatch(/Try again at <!date\^\d+\^\{time\}\|/);
    expect(s.fake.messages(CHANNEL).filter((m) => slackSeenKind(m.text) === 'refused')).toEqual([]);
  }, 60_000);

  it('answers help and mistakes ephemerally, in Slack’s words', async () => {
    const s = await start({ schedules: LIMITS });
    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'schedule --help' });
    const help = await ephemeral(s, ADMIN, /\/video schedule add &lt;prompt&gt; \[options\]/);
    expect(help.text).toContain('--when TEXT');
    await s.fake.slashCommand({
      userId: ADMIN,
      channelId: CHANNEL,
      text: 'schedule add --when whenever a red ball',
    });
    await ephemeral(s, ADMIN, /I cannot read "whenever" as a time/);
    await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'schedule' });
    await ephemeral(s, ADMIN, /\/video schedule needs one of: add, list, remove, pause, resume/);
  });
});
