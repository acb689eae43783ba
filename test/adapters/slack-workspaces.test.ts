import { describe, expect, it } from 'vitest';
import { ReplyBook } from '../../src/replies/index.ts';
import { useBundledModel } from '../support/bundled-model.ts';
import type { FakeTeam } from '../support/fake-slack/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { eventually, LONG, replyIn, useSlackStacks } from '../support/slack-scenarios.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { ADMIN, ALICE, BOB, CHANNEL, type SlackStack, TEAM, TEAM_ONE } from '../support/slack-stack.ts';

const CHANNEL_TWO = 'C0000000002';
const CAROL = 'U0000000D04';
const DAVE = 'U0000000D05';
const TEAM_TWO: FakeTeam = {
  id: 'T0000000002',
  name: 'Other Team',
  botToken: 'xoxb-2-fake-bot-token-team-two',
  botUserId: 'U0000000BT2',
  channels: [{ id: CHANNEL_TWO, name: 'general' }],
};
describe('Slack workspaces, end to end through the real Bolt app', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();
  const { start, ephemeral, waitingJobs } = useSlackStacks(redis, bundled);

  describe('two workspaces installed through OAuth', () => {
    const tokenOf = new Map([
      [CHANNEL, TEAM_ONE.botToken],
      [CHANNEL_TWO, TEAM_TWO.botToken],
    ]);
    /** Every Web API call about a channel of one team used that team's bot token. */
    const expectOwnTokens = (s: SlackStack) => {
      for (const call of s.fake.calls) {
        const where = call.args.channel ?? call.args.channel_id;
        if (typeof where === 'string' && tokenOf.has(where))
          expect(call.token, `${call.method} in ${where}`).toBe(tokenOf.get(where));
      }
    };
    const installBoth = async (s: SlackStack) => {
      expect((await s.install(TEAM)).status).toBe(200);
      expect((await s.install(TEAM_TWO.id)).status).toBe(200);
    };

    it('are separate tenants: each clip goes out with its own bot token, and a limit an admin sets in one leaves the other admitted', async () => {
      const s = await start({ oauth: true, teams: [TEAM_ONE, TEAM_TWO] });
      await installBoth(s);
      const stored = await s.installations?.find({ teamId: TEAM_TWO.id, isEnterpriseInstall: false });
      expect(stored?.bot?.token).toBe(TEAM_TWO.botToken);

      await s.fake.slashCommand({
        teamId: TEAM,
        userId: ADMIN,
        channelId: CHANNEL,
        text: 'admin --clips_per_hour 1',
      });
      await ephemeral(s, ADMIN, /Changed:/);
      const one = await s.fake.slashCommand({
        teamId: TEAM,
        userId: ALICE,
        channelId: CHANNEL,
        text: 'a red ball bouncing --quality low --seed 1',
      });
      const two = await s.fake.slashCommand({
        teamId: TEAM_TWO.id,
        userId: CAROL,
        channelId: CHANNEL_TWO,
        text: 'a blue square slides left --quality low --seed 2',
      });
      await replyIn(s.fake, CHANNEL, 'queued');
      await replyIn(s.fake, CHANNEL_TWO, 'queued');
      // Team one has used its one clip this hour; team two, with the operator's limits, has not.
      await s.fake.slashCommand({
        teamId: TEAM,
        userId: BOB,
        channelId: CHANNEL,
        text: 'a green star rises --quality low --seed 3',
      });
      const refused = await ephemeral(s, BOB, /used the 1 clip allowed for this hour/);
      expect(slackSeenKind(refused.text)).toBe('refused');
      await s.fake.slashCommand({
        teamId: TEAM_TWO.id,
        userId: DAVE,
        channelId: CHANNEL_TWO,
        text: 'a yellow ball falls --quality low --seed 4',
      });
      await s.fake.waitFor(
        () => s.fake.messages(CHANNEL_TWO).filter((m) => slackSeenKind(m.text) === 'queued').length === 2,
      );
      expect(s.fake.ephemerals(DAVE)).toEqual([]);
      expect(s.fake.messages(CHANNEL).filter((m) => !m.threadTs)).toHaveLength(1);

      await s.startWorker();
      const done = await replyIn(s.fake, CHANNEL, 'done');
      await s.fake.waitFor(
        () => s.fake.messages(CHANNEL_TWO).filter((m) => slackSeenKind(m.text) === 'done').length === 2,
        LONG,
      );
      await s.fake.waitFor(() =>
        s.fake.files.some((f) => f.threadTs === done.ts && f.channels.includes(CHANNEL)),
      );
      expectOwnTokens(s);
      const uploads = s.fake.calls.filter((c) => c.method === 'files.getUploadURLExternal' && c.ok);
      expect(uploads.map((c) => c.token).sort()).toEqual(
        [TEAM_ONE.botToken, TEAM_TWO.botToken, TEAM_TWO.botToken].sort(),
      );
      const book = new ReplyBook(s.bot.parts.redis, s.prefix);
      expect((await book.record('slack', one.triggerId))?.tenantKey).toBe(`slack:${TEAM}`);
      expect((await book.record('slack', two.triggerId))?.tenantKey).toBe(`slack:${TEAM_TWO.id}`);
    });

    it('when one uninstalls the app (app_uninstalled), then its installation is removed and the other keeps making clips; revoked user tokens remove nothing', async () => {
      const s = await start({ oauth: true, teams: [TEAM_ONE, TEAM_TWO] });
      await installBoth(s);
      const store = s.installations;
      const installed = (teamId: string) => store?.find({ teamId, isEnterpriseInstall: false });

      const gone = await s.fake.sendEvent({ type: 'app_uninstalled' }, TEAM);
      const callsBefore = s.fake.calls.length;
      expect(gone.ack.status).toBe(200);
      await eventually(async () => (await installed(TEAM)) === undefined);
      expect((await installed(TEAM_TWO.id))?.bot?.token).toBe(TEAM_TWO.botToken);
      expect(await store?.count()).toBe(1);
      // Revoked user tokens alone leave the bot's installation be: clipbot asks for none.
      await s.fake.sendEvent({ type: 'tokens_revoked', tokens: { oauth: [CAROL] } }, TEAM_TWO.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(await store?.count()).toBe(1);

      await s.startWorker();
      await s.fake.slashCommand({
        teamId: TEAM_TWO.id,
        userId: CAROL,
        channelId: CHANNEL_TWO,
        text: 'a white star slides right --quality low --seed 6',
      });
      const done = await replyIn(s.fake, CHANNEL_TWO, 'done');
      await s.fake.waitFor(() => s.fake.files.some((f) => f.threadTs === done.ts));
      expectOwnTokens(s);
      // A command that still reaches the bot from the uninstalled workspace gets nothing done.
      const late = await s.fake.slashCommand({
        teamId: TEAM,
        userId: ALICE,
        channelId: CHANNEL,
        text: 'a red ball --quality low',
      });
      expect(late.ack.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(s.fake.messages(CHANNEL)).toEqual([]);
      expect(await s.bot.parts.generate.getJobCounts()).toMatchObject({
        waiting: 0,
        active: 0,
        completed: 1,
      });
      expect(s.fake.calls.slice(callsBefore).filter((c) => c.token === TEAM_ONE.botToken)).toEqual([]);
    });
  });

  describe('/video admin, queue and help', () => {
    it('a workspace admin switches video making off and the next /video is refused ephemerally; a non-admin changes nothing', async () => {
      const s = await start();
      await s.fake.slashCommand({ userId: BOB, channelId: CHANNEL, text: 'admin --enabled=false' });
      const no = await ephemeral(s, BOB, /Only members who can manage/);
      expect(no.source).toBe('response_url');
      await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'admin' });
      await ephemeral(s, ADMIN, /^Settings for this workspace:\nVideo making: on/);

      await s.fake.slashCommand({ userId: ADMIN, channelId: CHANNEL, text: 'admin --enabled=false' });
      const changed = await ephemeral(s, ADMIN, /Video making: on → off/);
      expect(changed.source).toBe('response_url');
      await s.fake.slashCommand({
        userId: ALICE,
        channelId: CHANNEL,
        text: 'a red ball bouncing --quality low',
      });
      const off = await ephemeral(s, ALICE, /switched off/);
      expect(slackSeenKind(off.text)).toBe('refused');
      await s.fake.waitFor(() => s.fake.messages(CHANNEL).length === 0);
      expect(await s.bot.parts.generate.getJobCountByTypes('waiting', 'prioritized', 'active')).toBe(0);
      expect(s.fake.messages(CHANNEL)).toEqual([]);
    });

    it('/video queue answers the asker alone with their job and a Slack date token; help, an empty /video and an invalid option answer ephemerally and queue nothing', async () => {
      const s = await start();
      await s.fake.slashCommand({
        userId: ALICE,
        channelId: CHANNEL,
        text: 'a red ball bouncing --quality low',
      });
      await replyIn(s.fake, CHANNEL, 'queued');
      await s.fake.slashCommand({ userId: ALICE, channelId: CHANNEL, text: 'queue' });
      const queue = await ephemeral(s, ALICE, /^Your videos \(1\):/);
      expect(queue.source).toBe('response_url');
      expect(queue.text).toContain('“a red ball bouncing”: waiting, 1st in line; done: <!date^');
      expect(s.fake.ephemerals(BOB)).toEqual([]);

      for (const text of ['help', '']) {
        const asked = await s.fake.slashCommand({ userId: BOB, channelId: CHANNEL, text });
        expect(asked.ack.status).toBe(200);
      }
      await s.fake.waitFor(() => s.fake.ephemerals(BOB).length === 2);
      for (const answer of s.fake.ephemerals(BOB)) {
        expect(answer.source).toBe('response_url');
        expect(answer.text).toMatch(/`\/video &lt;prompt&gt;[\s\S]*`\/video queue`[\s\S]*`\/video admin/);
      }

      const invalid = [
        'a blue box --steps &lt;!channel&gt;',
        'a blue box --colour red',
        'admin --enabled false',
      ];
      for (const text of invalid) await s.fake.slashCommand({ userId: BOB, channelId: CHANNEL, text });
      await s.fake.waitFor(() => s.fake.ephemerals(BOB).length === 5);
      const answers = s.fake.ephemerals(BOB).slice(2);
      expect(answers.map((e) => e.source)).toEqual(['response_url', 'response_url', 'response_url']);
      // A typed value is echoed as text, never as a live mention.
      expect(answers[0]?.text).toBe('--steps must be a whole number; got "&lt;!channel&gt;".');
      expect(answers[1]?.text).toMatch(/^There is no option --colour; the options are /);
      expect(answers[2]?.text).toBe(
        '/video admin takes no text of its own, only options. Type /video admin --help for the options.',
      );
      expect(await waitingJobs(s)).toBe(1);
      expect(s.fake.messages(CHANNEL)).toHaveLength(1);
    });
  });

  it('mentions in a prompt (<!channel>, <@U…|name>) notify nobody, and & < > show as typed', async () => {
    const s = await start();
    await s.startWorker();
    // As Slack sends it: mentions encoded, the user's own &, < and > as entities.
    await s.fake.slashCommand({
      userId: ALICE,
      channelId: CHANNEL,
      text: '<!channel> <@U0000000B02|bob> a red ball &amp; a &lt;blue&gt; box --quality low --seed 9',
    });
    const done = await replyIn(s.fake, CHANNEL, 'done');
    expect(done.text).toMatch(/^\*channel @\u200bbob a red ball &amp; a &lt;blue&gt; box\*\n/);
    for (const call of s.fake.calls.filter((c) => c.method.startsWith('chat.'))) {
      const sent = `${String(call.args.text ?? '')} ${JSON.stringify(call.args.blocks ?? '')}`;
      expect(sent, call.method).not.toMatch(/<!(channel|here|everyone)|<@U0000000B02/);
    }
  });
});
