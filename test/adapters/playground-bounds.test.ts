import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundAdapter, type PlaygroundMessage } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { ReplyTarget, RequestHandler, ShownReply } from '../../src/core/index.ts';
import { loadManifest, type ModelManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { rawHttp } from '../support/raw-http.ts';
import { stubHandler } from '../support/stub-handler.ts';
import { startTestBot, type TestBot } from '../support/test-spine.ts';

const redis = useLocalRedis();
const DAY_MS = 24 * 3_600_000;
let manifest: ModelManifest;
beforeAll(async () => {
  manifest = (await loadManifest(BUNDLED_MANIFEST)).manifest;
});
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});
afterAll(async () => {
  for (const thing of running.splice(0)) await thing.stop();
});

function adapterFor(keyPrefix: string) {
  const connection = redis.client();
  return new PlaygroundAdapter({
    port: 0,
    host: '127.0.0.1',
    redis: connection,
    // The spine's store, as createSpineParts makes it by default.
    artifacts: new RedisArtifactStore(connection, DAY_MS, `${keyPrefix}:artifact:`),
    keyPrefix,
    uploadLimitBytes: 10_000_000,
    logger: pino({ level: 'silent' }),
  });
}

/** A playground started with `handler`, under a fresh key prefix. */
async function playground(handler: Partial<RequestHandler>) {
  const keyPrefix = `pb${Math.random().toString(36).slice(2, 10)}`;
  const adapter = adapterFor(keyPrefix);
  await adapter.start(stubHandler(handler));
  running.push(adapter);
  return { adapter, keyPrefix, port: Number(new URL(adapter.url).port) };
}

const target = (session: string, id: string): ReplyTarget => ({
  platform: 'playground',
  kind: 'message',
  replyId: id,
  handle: { session, messageId: id },
});
const send = (port: number, session: string, text: string, requestId: string) =>
  rawHttp(port, {
    method: 'POST',
    path: '/api/command',
    headers: { 'content-type': 'application/json', 'x-clipbot-session': session },
    body: JSON.stringify({ text, requestId }),
  });

/** The session's messages as a page that connects gets them. */
async function snapshot(url: string, session: string): Promise<PlaygroundMessage[]> {
  const abort = new AbortController();
  const response = await fetch(new URL(`/api/events?session=${session}`, url), { signal: abort.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  try {
    for (;;) {
      text += new TextDecoder().decode((await reader.read()).value);
      const frame = /event: snapshot\ndata: (.*)\n\n/.exec(text);
      if (frame) return (JSON.parse(frame[1] as string) as { messages: PlaygroundMessage[] }).messages;
    }
  } finally {
    abort.abort();
  }
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const refused: ShownReply = {
  kind: 'refused',
  reason: 'user-rate-limit',
  message: 'You have made many videos this hour.',
  buttons: [],
  private: false,
};
const queued = (jobId: string): ShownReply => ({
  kind: 'queued',
  jobId,
  position: 1,
  etaMs: 1_000,
  buttons: [],
  private: false,
});

describe("the playground's storage is bounded", () => {
  it('a refused line and its refusal are kept minutes, a line that started a job is kept a day', async () => {
    const { adapter, keyPrefix, port } = await playground({
      onVideoRequest: async (request, to) => {
        await adapter.render(
          to,
          request.prompt.includes('refuse') ? refused : queued(`j-${request.requestId}`),
        );
      },
      onButton: async () => {},
    });
    const session = 'tab-keep-0001';
    const kept = `${keyPrefix}:playground:messages:${session}`;
    const brief = `${keyPrefix}:playground:brief:${session}`;
    expect((await send(port, session, '/video please refuse this', 'req-refused-1')).status).toBe(202);
    expect((await send(port, session, '/video x --seed banana', 'req-invalid-1')).status).toBe(202);
    expect((await send(port, session, '/video a red ball', 'req-queued-01')).status).toBe(202);
    const seen = await until(
      'six messages',
      () => snapshot(adapter.url, session),
      (m) => m.length === 6,
    );
    expect(seen.map((m) => m.reply?.kind ?? 'line')).toEqual([
      'line',
      'refused',
      'line',
      'refused',
      'line',
      'queued',
    ]);

    const c = redis.client();
    expect((await c.hkeys(kept)).sort()).toEqual(['r-req-queued-01', 'u-req-queued-01']);
    expect((await c.hkeys(brief)).sort()).toEqual(
      ['r-req-invalid-1', 'r-req-refused-1', 'u-req-invalid-1', 'u-req-refused-1'].sort(),
    );
    expect(await c.pttl(brief)).toBeLessThanOrEqual(5 * 60_000);
    expect(await c.pttl(kept)).toBeGreaterThan(DAY_MS - 60_000);

    // A retried POST of a refused line stores nothing lasting (the core would ignore it as a redelivery).
    expect((await send(port, session, '/video please refuse this', 'req-refused-1')).status).toBe(202);
    expect(await c.hexists(kept, 'u-req-refused-1')).toBe(0);
  });

  it('a session keeps its newest 200 messages; older ones are trimmed', async () => {
    const { adapter, keyPrefix } = await playground({
      onVideoRequest: async () => {},
      onButton: async () => {},
    });
    const session = 'tab-capp-0001';
    for (let i = 0; i < 230; i++) await adapter.render(target(session, `r-${1000 + i}`), queued(`j${i}`));
    expect(await redis.client().hlen(`${keyPrefix}:playground:messages:${session}`)).toBe(200);
    const seen = await snapshot(adapter.url, session);
    expect(seen).toHaveLength(200);
    expect(seen[0]?.id).toBe('r-1030');
    expect(seen.at(-1)?.id).toBe('r-1229');
  });

  it('a clip shown in many messages (cache hits, joins) is stored once, and Delete removes only its message', async () => {
    const { adapter, keyPrefix } = await playground({
      onVideoRequest: async () => {},
      onButton: async () => {},
    });
    const c = redis.client();
    const bytes = Buffer.alloc(200_000, 7);
    await new RedisArtifactStore(c, DAY_MS, `${keyPrefix}:artifact:`).put('clip-job-1', bytes);
    const before = Number(/used_memory:(\d+)/.exec(await c.info('memory'))?.[1]);
    const done: ShownReply = {
      kind: 'done',
      jobId: 'job-1',
      prompt: 'a red ball',
      clip: { bytes, artifactKey: 'clip-job-1', fileName: 'c.mp4', seed: 1, tier: 'low', elapsedMs: 0 },
      buttons: [],
      private: false,
    };
    const ids = Array.from({ length: 10 }, (_, i) => `r-cached-${i}`);
    for (const [i, id] of ids.entries()) await adapter.render(target(`tab-hits-000${i}`, id), done);
    const after = Number(/used_memory:(\d+)/.exec(await c.info('memory'))?.[1]);
    expect(after - before).toBeLessThan(bytes.length); // ten messages, not ten copies

    const keys = await c.keys(`${keyPrefix}:*`);
    const sizes = await Promise.all(
      keys.map(async (k) => ((await c.type(k)) === 'string' ? c.strlen(k) : 0)),
    );
    expect(sizes.filter((size) => size >= bytes.length)).toHaveLength(1);
    for (const id of ids.slice(0, 2)) {
      const served = await fetch(new URL(`/clips/${id}.mp4`, adapter.url));
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    }

    await adapter.render(target('tab-hits-0000', 'r-cached-0'), {
      kind: 'deleted',
      jobId: 'job-1',
      buttons: [],
      private: false,
    });
    expect((await fetch(new URL('/clips/r-cached-0.mp4', adapter.url))).status).toBe(404);
    expect((await fetch(new URL('/clips/r-cached-1.mp4', adapter.url))).status).toBe(200);
    // A Delete for a message that is not in the pressing tab changes nothing there, nor the clip.
    await adapter.render(target('tab-hits-0009', 'r-cached-1'), {
      kind: 'deleted',
      jobId: 'job-1',
      buttons: [],
      private: false,
    });
    expect((await fetch(new URL('/clips/r-cached-1.mp4', adapter.url))).status).toBe(200);
    expect((await snapshot(adapter.url, 'tab-hits-0009')).map((m) => m.id)).toEqual(['r-cached-9']);

    await c.del(`${keyPrefix}:artifact:clip-job-1`); // the spine's copy expired
    const expired = await fetch(new URL('/clips/r-cached-1.mp4', adapter.url));
    expect(expired.status).toBe(404);
    expect(((await expired.json()) as { error: string }).error).toBe('That clip has expired.');
  });
});

describe('with the real admission, limits hold per address', () => {
  it('when a second tab of the same address asks while the first tab waits, then it is refused as the same user', async () => {
    const keyPrefix = `pa${Math.random().toString(36).slice(2, 10)}`;
    const adapter = adapterFor(keyPrefix);
    const bot: TestBot = await startTestBot(redis, { prefix: keyPrefix, adapters: [adapter], manifest });
    running.push({ stop: () => bot.close() });
    const port = Number(new URL(adapter.url).port);
    expect(
      (await send(port, 'tab-real-0001', '/video a red ball --quality low', 'real-req-0001')).status,
    ).toBe(202);
    await until(
      'the first tab queued',
      () => snapshot(adapter.url, 'tab-real-0001'),
      (m) => m.some((x) => x.reply?.kind === 'queued'),
    );
    expect(
      (await send(port, 'tab-real-0002', '/video a blue ball --quality low', 'real-req-0002')).status,
    ).toBe(202);
    const second = await until(
      'the second tab refused',
      () => snapshot(adapter.url, 'tab-real-0002'),
      (m) => m.some((x) => x.reply?.kind === 'refused'),
    );
    expect(second.find((m) => m.reply?.kind === 'refused')?.reply).toMatchObject({ reason: 'user-busy' });
    const c = redis.client();
    expect(await c.exists(`${keyPrefix}:playground:messages:tab-real-0002`)).toBe(0);
    expect(await c.hexists(`${keyPrefix}:playground:messages:tab-real-0001`, 'u-real-req-0001')).toBe(1);
  });
});
