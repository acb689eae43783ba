// The stack as an operator runs it, with every secret set to a value no log line may hold: a
// redis-server with a password, the worker process and the bot process (playground with a token,
// the dashboard with its own, Discord against a local fake Discord), driven as users and strangers
// would: a /video through the playground with ?token= in its URLs, wrong tokens, a request cut off
// mid-body, an invalid line, a /video on Discord and one whose interaction token dies, and a second
// bot process with a wrong Redis password for a few seconds. Then every line they wrote is searched.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/free-port.ts';
import { seenKind } from '../support/discord-seen.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { FakeSlack } from '../support/fake-slack/index.ts';
import { slackSeenKind } from '../support/slack-seen.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const secret = (name: string) => `${name}-${randomBytes(12).toString('hex')}`;

const SECRETS = {
  CLIPBOT_PLAYGROUND_TOKEN: secret('playground-token'),
  CLIPBOT_DASHBOARD_TOKEN: secret('dashboard-token'),
  DISCORD_TOKEN: secret('discord-token'),
  SLACK_BOT_TOKEN: secret('xoxb-slack-bot'),
  SLACK_SIGNING_SECRET: secret('slack-signing'),
  SLACK_APP_TOKEN: secret('xapp-slack-app'),
};
const REDIS_PASSWORD = secret('redis-password');
const WRONG_REDIS_PASSWORD = secret('wrong-redis-password');
/** Tokens strangers try: not secrets of ours, but what they typed must not be kept either. */
const WRONG_TOKEN = secret('wrong-token');

interface Service {
  name: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Service[] = [];

function startProcess(name: string, args: string[], env: Record<string, string>): Service {
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const service = { name, child, output: () => output, exited };
  started.push(service);
  return service;
}

async function stop(service: Service): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 20_000);
  await service.exited;
  clearTimeout(timer);
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) {
      const logs = started.map((s) => `--- ${s.name}\n${s.output().slice(-3_000)}`).join('\n');
      throw new Error(`timed out waiting for ${what}\n${logs}`);
    }
    await sleep(200);
  }
}

/** The playground's messages for `session`: the snapshot its event stream starts with. */
async function snapshot(base: string, session: string, token: string): Promise<unknown[]> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/events?session=${session}&token=${token}`, { signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
  const reader = res.body.getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
      const data = /event: snapshot\ndata: (.*)\n/.exec(text);
      if (data) return (JSON.parse(data[1] as string) as { messages: unknown[] }).messages;
    }
  } finally {
    abort.abort();
  }
  throw new Error('no snapshot');
}

/** A POST whose body never arrives: the connection closes after a few bytes. */
function cutOffRequest(port: number, path: string, session: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          `X-Clipbot-Session: ${session}\r\nContent-Length: 5000\r\n\r\n{"text": "/video a`,
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 300);
    });
    socket.on('error', () => resolve());
  });
}

describe('no secret in any log line', () => {
  let redis: ChildProcess | undefined;
  let discord: FakeDiscord | undefined;
  let slack: FakeSlack | undefined;
  afterAll(async () => {
    for (const service of started) await stop(service);
    redis?.kill('SIGKILL');
    await discord?.stop();
    await slack?.stop();
  });

  it('when the stack runs with every secret set and is used, refused and broken, then no log line holds any secret', async () => {
    const redisPort = await freePort();
    redis = spawn(
      'redis-server',
      [
        ...['--port', String(redisPort), '--bind', '127.0.0.1', '--requirepass', REDIS_PASSWORD],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { stdio: 'ignore' },
    );
    const [playgroundPort, dashboardPort] = [await freePort(), await freePort()];
    discord = await FakeDiscord.start({ token: SECRETS.DISCORD_TOKEN });
    slack = await FakeSlack.start({
      signingSecret: SECRETS.SLACK_SIGNING_SECRET,
      appToken: SECRETS.SLACK_APP_TOKEN,
      teams: [
        {
          id: 'T0000000001',
          botToken: SECRETS.SLACK_BOT_TOKEN,
          botUserId: 'U0000000BOT',
          channels: [{ id: 'C0000000001' }],
        },
      ],
    });
    const env = {
      ...SECRETS,
      DISCORD_API_URL: discord.apiUrl,
      // Socket Mode: the bot connects out to the fake Slack, as it would to Slack.
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'debug',
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redisPort}`,
      CLIPBOT_KEY_PREFIX: `s${randomUUID().slice(0, 8)}`,
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_BOT_PORT: '0',
      CLIPBOT_PLAYGROUND_PORT: String(playgroundPort),
      CLIPBOT_DASHBOARD_PORT: String(dashboardPort),
    };
    const worker = startProcess('worker', ['--import', 'tsx', 'worker/main.ts'], env);
    const bot = startProcess('bot', ['--import', 'tsx', 'src/bot/main.ts'], env);
    const token = SECRETS.CLIPBOT_PLAYGROUND_TOKEN;
    const base = `http://127.0.0.1:${playgroundPort}`;
    await until('the playground', async () =>
      (await fetch(`${base}/?token=${token}`)).ok ? true : undefined,
    );
    await until('the worker', async () =>
      worker.output().includes('"msg":"worker ready"') ? true : undefined,
    );

    // A /video through the playground, the token in every URL, to its clip.
    const session = `s-${randomUUID()}`;
    const post = (text: string) =>
      fetch(`${base}/api/command?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-clipbot-session': session },
        body: JSON.stringify({ text, requestId: randomUUID() }),
      });
    expect((await post('/video a red ball bouncing --quality low --seed 3 --steps 4')).status).toBe(202);
    const done = await until('the clip', async () => {
      const messages = (await snapshot(base, session, token)) as {
        reply?: { kind: string; videoUrl?: string };
      }[];
      return messages.find((m) => m.reply?.kind === 'done');
    });
    const videoUrl = done.reply?.videoUrl;
    if (videoUrl) expect((await fetch(`${base}${videoUrl}?token=${token}`)).status).toBe(200);

    // An invalid line, wrong tokens, and a request cut off mid-body.
    expect((await post('/video a ball --seed 0x10')).status).toBe(202);
    expect((await fetch(`${base}/api/events?session=${session}&token=${WRONG_TOKEN}`)).status).toBe(401);
    const bearer = { headers: { authorization: `Bearer ${WRONG_TOKEN}` } };
    expect((await fetch(`${base}/api/command`, bearer)).status).toBe(401);
    await cutOffRequest(playgroundPort, `/api/command?token=${token}`, session);
    const dashboard = `http://127.0.0.1:${dashboardPort}`;
    expect((await fetch(`${dashboard}/?token=${WRONG_TOKEN}`)).status).toBe(401);
    expect((await fetch(`${dashboard}/api/queues?token=${SECRETS.CLIPBOT_DASHBOARD_TOKEN}`)).status).toBe(
      200,
    );

    // Two /video on Discord: one answered through its interaction, one whose token dies first.
    const fake = discord;
    const interactionTokens: string[] = [];
    for (const [n, expire] of [false, true].entries()) {
      const sent = await fake.slashCommand({
        userId: '840000000000000001',
        name: 'video',
        options: [
          { name: 'prompt', type: 3, value: 'a blue ball rises' },
          { name: 'quality', type: 3, value: 'low' },
          { name: 'steps', type: 4, value: 4 },
        ],
      });
      interactionTokens.push(sent.token);
      if (expire) {
        await until('the queued reply', async () =>
          fake.messages().find((m) => m.interactionId === sent.interactionId && seenKind(m) !== 'thinking'),
        );
        fake.expireInteraction(sent.token);
      }
      // The second clip lands in a DM message the bot posts itself (no interaction any more).
      await until('the Discord clip', async () =>
        fake.messages().filter((m) => seenKind(m) === 'done').length > n ? true : undefined,
      );
    }

    // A /video on Slack, over Socket Mode, to its clip; and a forged request it must refuse.
    const fakeSlack = slack;
    await fakeSlack.waitFor(() => fakeSlack.socketConnections > 0, 30_000);
    await fakeSlack.slashCommand({
      userId: 'U0000000A01',
      channelId: 'C0000000001',
      text: 'a red ball --quality low --steps 4',
    });
    await until('the Slack clip', async () =>
      fakeSlack.messages('C0000000001').some((m) => slackSeenKind(m.text) === 'done') ? true : undefined,
    );

    // A second bot process whose Redis password is wrong, for a few seconds.
    const wrongBot = startProcess('bot with a wrong Redis password', ['--import', 'tsx', 'src/bot/main.ts'], {
      ...env,
      REDIS_URL: `redis://:${WRONG_REDIS_PASSWORD}@127.0.0.1:${redisPort}`,
      CLIPBOT_PLAYGROUND: 'false',
      CLIPBOT_DASHBOARD_PORT: '',
      CLIPBOT_DASHBOARD_TOKEN: '',
    });
    await until('its Redis error', async () => (wrongBot.output().includes('WRONGPASS') ? true : undefined));
    await sleep(3_000);
    for (const service of [wrongBot, bot, worker]) await stop(service);

    const lines = started.flatMap((s) =>
      s
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `${s.name}: ${line}`),
    );
    const secrets = [
      ...Object.values(SECRETS),
      REDIS_PASSWORD,
      WRONG_REDIS_PASSWORD,
      WRONG_TOKEN,
      ...interactionTokens,
    ];
    const leaks = lines.filter((line) => secrets.some((value) => line.includes(value)));
    expect(leaks).toEqual([]);
    // The run did what it says: a clip was made, strangers were turned away, the wrong password
    // was met, and its retries took a handful of lines.
    const all = lines.join('\n');
    expect(all).toContain('"msg":"final reply delivered"');
    expect(all).toContain('dashboard request without a valid token');
    expect(all).toContain('connected to Discord');
    expect(all).toContain('connected to Slack');
    expect(all).toContain('the interaction token no longer works');
    // Debug lines (each BullMQ object's own report of the refused connection) aside.
    const level = (line: string) => Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 30);
    const wrongLines = wrongBot
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '' && level(line) >= 30);
    expect(wrongLines.filter((line) => line.includes('WRONGPASS')).length).toBeLessThanOrEqual(2);
    expect(wrongLines.length).toBeLessThanOrEqual(15);
  }, 180_000);
});
