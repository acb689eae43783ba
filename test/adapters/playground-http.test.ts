import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFacts, videoCommand } from '../../commands/index.ts';
import { PlaygroundAdapter } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { Asker, ButtonPress, QueueView, RequestHandler, VideoRequest } from '../../src/core/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('the playground over HTTP, with an access token', () => {
  const redis = useLocalRedis();
  const token = 'playground-secret-123456';
  const requests: VideoRequest[] = [];
  const askers: Asker[] = [];
  const now = Date.UTC(2026, 11, 1, 14, 0);
  const limit = (value: number, own = false) => ({ value, own });
  const queueView: QueueView = {
    now,
    tenant: { platform: 'playground', id: 'playground' },
    jobs: [
      {
        state: 'waiting',
        jobId: 'j1',
        prompt: 'a red ball',
        position: 2,
        etaAt: now + 5 * 60_000,
        elsewhere: false,
      },
    ],
    tenantWaiting: 3,
    limits: {
      tenantClips: limit(30),
      tenantIntervalMs: limit(3_600_000),
      userClips: limit(6),
      userIntervalMs: limit(3_600_000),
      maxActivePerUser: limit(1),
      maxWaitingPerTenant: limit(10),
    },
    clipsLeft: { user: 5, tenant: 29 },
    nextClip: { kind: 'later', at: now + 5 * 60_000, reason: 'user-busy' },
    noWorker: false,
  };
  let adapter: PlaygroundAdapter;
  beforeAll(async () => {
    const keyPrefix = `ph${Date.now()}`;
    adapter = new PlaygroundAdapter({
      port: 0,
      host: '127.0.0.1',
      token,
      redis: redis.client(),
      artifacts: new RedisArtifactStore(redis.client(), 3_600_000, `${keyPrefix}:artifact:`),
      keyPrefix,
      uploadLimitBytes: 1_000_000,
      logger: pino({ level: 'silent' }),
      video: videoCommand.define(modelFacts((await loadManifest(BUNDLED_MANIFEST)).manifest)),
    });
    const handler: RequestHandler = {
      onVideoRequest: async (request, target) => {
        requests.push(request);
        await adapter.render(target, {
          kind: 'done',
          jobId: 'j1',
          prompt: request.prompt,
          clip: { bytes: Buffer.from('0123456789'), fileName: 'c.mp4', seed: 1, tier: 'low', elapsedMs: 5 },
          buttons: [],
          private: false,
        });
      },
      onButton: async (_press: ButtonPress) => {},
      onQueueQuery: async (asker) => {
        askers.push(asker);
        return queueView;
      },
      onSettingsCommand: async () => {
        throw new Error('the playground has no admins: it never asks for settings');
      },
      onScheduleCommand: async () => {
        throw new Error('the playground has no admins: it never asks for schedules');
      },
      onCommunityEvent: async () => {
        throw new Error('the playground has no events');
      },
    };
    await adapter.start(handler);
  });
  afterAll(() => adapter.stop());

  const session = 'tab-0000-1111';
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(new URL(path, adapter.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-clipbot-session': session, ...headers },
      body: JSON.stringify(body),
    });

  const routes: [method: string, path: string][] = [
    ['GET', '/'],
    ['GET', '/app.js'],
    ['GET', '/app.css'],
    ['GET', `/api/events?session=${session}`],
    ['GET', '/clips/x.mp4'],
    ['GET', '/api/command'],
    ['POST', '/api/command'],
    ['POST', '/api/button'],
    ['POST', '/api/images'],
  ];
  const wrongTokens: Record<string, { query?: string; headers?: Record<string, string> }> = {
    'no token': {},
    'a wrong bearer token': { headers: { authorization: 'Bearer playground-secret-12345X' } },
    'a wrong cookie': { headers: { cookie: 'clipbot_playground=not-the-session-value' } },
    'a wrong ?token=': { query: `${token}x` },
  };
  for (const [how, wrong] of Object.entries(wrongTokens)) {
    it(`answers 401 on every route with ${how}`, async () => {
      for (const [method, path] of routes) {
        const url = new URL(path, adapter.url);
        if (wrong.query) url.searchParams.set('token', wrong.query);
        const headers = { 'x-clipbot-session': session, ...wrong.headers };
        const body = method === 'POST' ? JSON.stringify({ text: '/video a ball', customId: 'x' }) : undefined;
        const response = await fetch(url, { method, headers, body });
        await response.body?.cancel();
        expect([method, path, response.status]).toEqual([method, path, 401]);
      }
    });
  }

  it('?token= sets a cookie that works alone, and never holds the token', async () => {
    const opened = await fetch(`${adapter.url}?token=${token}`);
    expect(opened.status).toBe(200);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^clipbot_playground=/);
    expect(cookie).not.toContain(token);
    expect((await fetch(new URL('/app.js', adapter.url), { headers: { cookie } })).status).toBe(200);
  });

  it('turns a typed line into a request from this tab, stores its messages, and serves the clip with ranges', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect((await post('/api/command', { text: '/video a red ball --seed 3' }, auth)).status).toBe(202);
    expect(requests.at(-1)).toMatchObject({
      tenant: { platform: 'playground', id: 'playground' },
      user: { id: '127.0.0.1' }, // the client's address: limits count addresses, not tabs
      prompt: 'a red ball',
      options: { seed: 3 },
    });
    const bad = await post('/api/command', { text: 42 }, auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/Send JSON like/);
    expect(
      (await post('/api/command', { text: '/video x' }, { ...auth, 'x-clipbot-session': '' })).status,
    ).toBe(400);

    const events = await fetch(new URL(`/api/events?session=${session}`, adapter.url), { headers: auth });
    const reader = events.body?.getReader();
    let text = '';
    while (!text.includes('event: snapshot')) text += new TextDecoder().decode((await reader?.read())?.value);
    await reader?.cancel();
    const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as {
      messages: { author: string; reply?: { kind: string; videoUrl?: string } }[];
    };
    expect(snapshot.messages.map((m) => m.author)).toEqual(['user', 'bot']);
    const videoUrl = snapshot.messages[1]?.reply?.videoUrl ?? '';
    const ranged = await fetch(new URL(videoUrl, adapter.url), { headers: { ...auth, range: 'bytes=2-5' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await ranged.text()).toBe('2345');
  });

  it('reads lines with the shared /video grammar: --seed=7 is seed 7, and --help answers with the options', async () => {
    const auth = { authorization: `Bearer ${token}`, 'x-clipbot-session': 'tab-2222-3333' };
    const line = '/video a red ball --seed=7 --quality LOW --negative "blue sky" --private';
    expect((await post('/api/command', { text: line }, auth)).status).toBe(202);
    expect(requests.at(-1)).toMatchObject({
      prompt: 'a red ball',
      options: { seed: 7, quality: 'low', negativePrompt: 'blue sky', private: true },
    });

    const asked = requests.length;
    expect((await post('/api/command', { text: '/video --help' }, auth)).status).toBe(202);
    const events = await fetch(new URL('/api/events?session=tab-2222-3333', adapter.url), { headers: auth });
    const reader = events.body?.getReader();
    let text = '';
    while (!/"kind":"notice"/.test(text)) text += new TextDecoder().decode((await reader?.read())?.value);
    await reader?.cancel();
    expect(text).toMatch(/--quality CHOICE: [^\n]*low: 64×64, 8 frames/);
    expect(text).toContain('--private: Only you see the reply');
    expect(text).toContain('--image (button): ');
    expect(text).toContain('choose it with the Picture button beside the prompt box');
    expect(requests).toHaveLength(asked);
  });

  it("gives the page the model's quality choices and ranges from the same /video definition", async () => {
    const response = await fetch(new URL('/api/command', adapter.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as {
      syntax: string;
      options: { name: string; max?: number; choices?: { value: string }[] }[];
    };
    const { manifest } = await loadManifest(BUNDLED_MANIFEST);
    const quality = body.options.find((o) => o.name === 'quality');
    expect(quality?.choices?.map((c) => c.value)).toEqual(['auto', ...manifest.tiers.map((t) => t.name)]);
    expect(body.options.find((o) => o.name === 'seed')?.max).toBe(4294967295);
    expect(body.syntax).toContain('--seed N');
    expect(body.syntax).not.toContain('--image'); // chosen with the page's Picture button
  });
  /** The notices a session has been sent, once `count` of them have arrived. */
  async function notices(tab: string, count: number): Promise<string[]> {
    const events = await fetch(new URL(`/api/events?session=${tab}`, adapter.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    const reader = events.body?.getReader();
    let text = '';
    const found = () => [...text.matchAll(/"kind":"notice","message":("(?:[^"\\]|\\.)*")/g)];
    while (found().length < count) text += new TextDecoder().decode((await reader?.read())?.value);
    await reader?.cancel();
    return found().map((m) => JSON.parse(m[1] as string) as string);
  }

  it('routes /video-queue to the core and shows its view as a notice with UTC times, asking for no clip', async () => {
    const tab = 'tab-4444-5555';
    const auth = { authorization: `Bearer ${token}`, 'x-clipbot-session': tab };
    const asked = requests.length;
    expect((await post('/api/command', { text: '/video-queue' }, auth)).status).toBe(202);
    const [text] = await notices(tab, 1);
    expect(askers.at(-1)).toEqual({
      tenant: { platform: 'playground', id: 'playground' },
      user: { id: '127.0.0.1' },
      channelId: 'playground',
    });
    expect(text).toContain('“a red ball”: waiting, 2nd in line; done: 14:05 UTC');
    expect(text).toContain('Waiting in the playground: 3 videos');
    expect(text).toContain('Your next clip: 14:05 UTC (after your video in the queue');
    expect(requests).toHaveLength(asked);
  });

  it("answers /video-admin that the playground runs on the operator's settings, /video-schedule where schedules live, and help with every command", async () => {
    const tab = 'tab-6666-7777';
    const auth = { authorization: `Bearer ${token}`, 'x-clipbot-session': tab };
    expect((await post('/api/command', { text: '/video-admin --enabled=false' }, auth)).status).toBe(202);
    expect((await post('/api/command', { text: 'help' }, auth)).status).toBe(202);
    expect((await post('/api/command', { text: '/video-queue --help' }, auth)).status).toBe(202);
    expect((await post('/api/command', { text: '/video-schedule list' }, auth)).status).toBe(202);
    const [admin, help, queueHelp, schedules] = await notices(tab, 4);
    expect(schedules).toMatch(/no channels to post in on a schedule.*\/video-schedule/);
    expect(admin).toMatch(/no admins: it runs on the operator's settings.*\/video-admin/);
    expect(help).toMatch(/^Commands:\n\/video <prompt> \[options\]: Make a short video clip/);
    expect(help).toContain('\n/video-queue: Your videos in the queue');
    expect(help).toContain('\n/video-admin [options]: Show or change');
    expect(queueHelp).toMatch(/^\/video-queue: Your videos in the queue/);
  });
});
