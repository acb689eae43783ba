// discord.js and Bolt in one process (a bot process serving both: CLIPBOT_BOT_PLATFORMS=discord,slack).
// DESIGN.md warns that Bolt's undici 7 can take the global dispatcher from @discordjs/rest's undici 6
// and break every discord.js upload when Bolt loads first; this file loads Bolt first on purpose,
// runs Slack in Socket Mode, and only then loads discord.js and uploads a clip through it.
import { describe, expect, it } from 'vitest';
import { useBundledModel } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { CHANNEL, startSlackStack } from '../support/slack-stack.ts';

describe('discord.js and Bolt loaded in one process, Bolt first', () => {
  const redis = useLocalRedis();
  const bundled = useBundledModel();

  it('both still upload their clips', async () => {
    const slack = await startSlackStack(redis, bundled, { socket: true });
    const { ALICE, startDiscordStack } = await import('../support/discord-stack.ts');
    const discord = await startDiscordStack(redis, bundled);
    try {
      await slack.startWorker();
      await slack.fake.slashCommand({
        userId: 'U0000000A01',
        channelId: CHANNEL,
        text: 'a red ball --quality low',
      });
      await slack.fake.waitFor(
        () => slack.fake.messages(CHANNEL).find((m) => slackSeenKind(m.text) === 'done'),
        60_000,
      );
      await discord.startWorker();
      const { interactionId } = await discord.video(ALICE, 'a blue ball rises', { seed: 1 });
      const done = await discord.answer(interactionId, 'done');
      expect(done.attachments).toHaveLength(1);
      expect(slack.fake.files).toHaveLength(1);
    } finally {
      await discord.close();
      await slack.close();
    }
  });
});
