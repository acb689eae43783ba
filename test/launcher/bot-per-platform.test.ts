// clipbot start with three platforms: the playground, Discord and Slack (against local fakes of Discord
// and of Slack in Socket Mode), each in its own supervised bot process on the one private Redis and
// worker.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seenKind } from '../support/discord-seen.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';
import {
  isAlive,
  type LauncherProcess,
  redisServersOn,
  stackRecord,
  startLauncher,
  until,
} from '../support/launcher-process.ts';
import { playgroundPost, playgroundSnapshot } from '../support/playground-client.ts';
import { slackSeenKind } from '../support/slack-seen.ts';
import { APP_TOKEN, SIGNING_SECRET, CHANNEL as SLACK_CHANNEL, TEAM_ONE } from '../support/slack-stack.ts';

const GUILD = '930000000000000001';
const CHANNEL = '930000000000000002';
const USER = '830000000000000001';
const PLAYGROUND = /playground: open (http:\/\/127\.0\.0\.1:\d+\/)/;
const botReady = (platform: string) =>
  new RegExp(`"port":(\\d+),"platforms":\\["${platform}"\\],"msg":"bot ready"`);

describe('one bot process per platform', () => {
  let launcher: LauncherProcess | undefined;
  let fake: FakeDiscord | undefined;
  let slack: FakeSlack | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    if (launcher?.child.exitCode === null) launcher.child.kill('SIGKILL');
    await fake?.stop();
    await slack?.stop();
    if (dataDir) {
      for (const pid of await redisServersOn(dataDir)) process.kill(pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  const metricsOf = async (port: string) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const platformsIn = (metrics: string, name: string) =>
    [...metrics.matchAll(new RegExp(`^${name}\\{[^}]*platform="(\\w+)"`, 'gm'))].map((m) => m[1]);

  it('the playground, Discord and Slack run side by side, each delivering only its own; a killed one is restarted while the others serve', async () => {
    const discord = await FakeDiscord.start({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
    fake = discord;
    const fakeSlack = await FakeSlack.start({
      signingSecret: SIGNING_SECRET,
      appToken: APP_TOKEN,
      teams: [TEAM_ONE],
    });
    slack = fakeSlack;
    dataDir = await mkdtemp(join(tmpdir(), 'clipbot-two-bots-'));
    launcher = startLauncher({
      CLIPBOT_DATA_DIR: dataDir,
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_PLAYGROUND_PORT: '0',
      CLIPBOT_BOT_PORT: '0',
      CLIPBOT_RESTART_DELAY_MS: '200',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: TEAM_ONE.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fakeSlack.apiUrl,
    });
    const [, base] = (await launcher.waitFor(PLAYGROUND, 90_000)) as [string, string];
    await launcher.waitFor(/"msg":"worker ready"/, 90_000);
    const health = async (port: string) => (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    const [, playgroundPort] = (await launcher.waitFor(botReady('playground'), 90_000)) as [string, string];
    const [, discordPort] = (await launcher.waitFor(botReady('discord'), 90_000)) as [string, string];
    const [, slackPort] = (await launcher.waitFor(botReady('slack'), 90_000)) as [string, string];
    expect(await health(slackPort)).toMatchObject({ ok: true, adapters: { slack: 'connected' } });
    expect(await health(discordPort)).toMatchObject({ ok: true, adapters: { discord: 'connected' } });
    expect(await health(playgroundPort)).toMatchObject({ ok: true, adapters: { playground: 'connected' } });

    const playgroundClip = async (seed: number) => {
      const session = `tab-${randomUUID()}`;
      const text = `/video a red ball bouncing on a white background --quality low --seed ${seed}`;
      await playgroundPost(base, session, '/api/command', { text, requestId: randomUUID() });
      await until(
        'the playground clip',
        async () =>
          (await playgroundSnapshot(base, session).catch(() => [])).some((m) => m.reply?.kind === 'done'),
        (done) => done,
        60_000,
      );
    };
    const discordClip = async (seed: number) => {
      const { interactionId } = await discord.slashCommand({
        userId: USER,
        guildId: GUILD,
        channelId: CHANNEL,
        name: 'video',
        options: [
          { name: 'prompt', type: 3, value: 'a blue ball rises' },
          { name: 'seed', type: 4, value: seed },
          { name: 'quality', type: 3, value: 'low' },
        ],
      });
      await discord.waitFor(
        () => discord.messages().find((m) => m.interactionId === interactionId && seenKind(m) === 'done'),
        60_000,
      );
    };
    const slackClip = async (seed: number) => {
      const before = fakeSlack.messages(SLACK_CHANNEL).length;
      await fakeSlack.slashCommand({
        userId: 'U0000000A01',
        channelId: SLACK_CHANNEL,
        text: `a green ball falls --quality low --seed ${seed}`,
      });
      await fakeSlack.waitFor(
        () =>
          fakeSlack.messages(SLACK_CHANNEL).filter((m) => !m.threadTs && slackSeenKind(m.text) === 'done')
            .length > 0 && fakeSlack.messages(SLACK_CHANNEL).length > before,
        60_000,
      );
    };
    await Promise.all([playgroundClip(1), discordClip(2), slackClip(5)]);

    // Each process delivered and rendered only its own platform's replies. A delivery is counted when
    // its job completes, a moment after the message it posted shows: wait for the counts.
    const delivered = async (port: string) => {
      for (let tries = 0; ; tries++) {
        const platforms = platformsIn(await metricsOf(port), 'clipbot_deliveries_total');
        if (platforms.length > 0 || tries === 50) return new Set(platforms);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    expect(await delivered(playgroundPort)).toEqual(new Set(['playground']));
    expect(await delivered(discordPort)).toEqual(new Set(['discord']));
    expect(new Set(platformsIn(await metricsOf(discordPort), 'clipbot_replies_total'))).toEqual(
      new Set(['discord']),
    );

    // Kill the Discord bot: the playground goes on serving, and the launcher brings Discord back.
    const before = (await stackRecord(dataDir))?.children.find((c) => c.name === 'bot-discord')
      ?.pid as number;
    const from = launcher.output().length;
    process.kill(before, 'SIGKILL');
    await playgroundClip(3);
    const [, restartedPort] = (await launcher.waitFor(botReady('discord'), 60_000, from)) as [string, string];
    const after = (await stackRecord(dataDir))?.children.find((c) => c.name === 'bot-discord')?.pid;
    expect(after).not.toBe(before);
    expect(isAlive(before)).toBe(false);
    expect(await health(restartedPort)).toMatchObject({ adapters: { discord: 'connected' } });
    await discordClip(4);

    launcher.child.kill('SIGINT');
    expect(await launcher.exited).toBe(0);
  });
});
