import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundAdapter, parseVideoCommand } from '../../src/adapters/playground/index.ts';
import type { ButtonPress, RequestHandler, VideoRequest } from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('parseVideoCommand', () => {
  it('splits the prompt from the options, wherever they come, with quoted values', () => {
    expect(
      parseVideoCommand('/video a red ball --seed 7 bouncing --quality LOW --negative "blue sky"'),
    ).toEqual({
      ok: true,
      prompt: 'a red ball bouncing',
      options: { seed: 7, quality: 'low', negativePrompt: 'blue sky' },
    });
    expect(parseVideoCommand('  /VIDEO a star --steps 20 --guidance 4.5')).toEqual({
      ok: true,
      prompt: 'a star',
      options: { steps: 20, guidance: 4.5 },
    });
  });

  it('says what is wrong with an unknown command, option or value', () => {
    expect(parseVideoCommand('/vidoe a ball')).toMatchObject({ ok: false, message: /I only know \/video/ });
    expect(parseVideoCommand('/video a ball --fps 30')).toMatchObject({
      ok: false,
      message: /no option --fps/,
    });
    for (const inherited of ['--constructor 5', '--__proto__ 3', '--toString 1'])
      expect(parseVideoCommand(`/video a ball ${inherited}`)).toMatchObject({
        ok: false,
        message: /There is no option/,
      });
    expect(parseVideoCommand('/video a ball --quality ultra')).toMatchObject({
      ok: false,
      message: '--quality must be one of auto, low, medium, high; got "ultra".',
    });
    expect(parseVideoCommand('/video a ball --seed')).toMatchObject({
      ok: false,
      message: /--seed needs a value/,
    });
    expect(parseVideoCommand('/video a ball --seed seven')).toMatchObject({
      ok: false,
      message: /must be a number/,
    });
  });
});

describe('the playground over HTTP, with an access token', () => {
  const redis = useLocalRedis();
  const token = 'playground-secret-123456';
  const requests: VideoRequest[] = [];
  let adapter: PlaygroundAdapter;
  beforeAll(async () => {
    adapter = new PlaygroundAdapter({
      port: 0,
      host: '127.0.0.1',
      token,
      redis: redis.client(),
      keyPrefix: `ph${Date.now()}`,
      uploadLimitBytes: 1_000_000,
      logger: pino({ level: 'silent' }),
    });
    const handler: RequestHandler = {
      onVideoRequest: async (request, target) => {
        requests.push(request);
        await adapter.render(target, {
          kind: 'done',
          jobId: 'j1',
          prompt: request.prompt,
          clip: { bytes: Buffer.from('0123456789'), fileName: 'c.mp4', seed: 1, tier: 'low', elapsedMs: 5 },
        });
      },
      onButton: async (_press: ButtonPress) => {},
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

  it('refuses every route without the token, and ?token= sets a cookie that works alone', async () => {
    expect((await fetch(adapter.url)).status).toBe(401);
    expect((await post('/api/command', { text: '/video a ball' })).status).toBe(401);
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
      user: { id: session },
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
});
