import { type ClientRequest, request } from 'node:http';
import { connect } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaygroundAdapter, type PlaygroundOptions } from '../../src/adapters/playground/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { RequestHandler, VideoRequest } from '../../src/core/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { rawHttp } from '../support/raw-http.ts';
import { stubHandler } from '../support/stub-handler.ts';

const redis = useLocalRedis();
const running: PlaygroundAdapter[] = [];
afterEach(async () => {
  for (const adapter of running.splice(0)) await adapter.stop();
});

/** A started playground whose handler records each request (and answers nothing). */
async function playground(options: Partial<PlaygroundOptions> = {}) {
  const keyPrefix = `px${Math.random().toString(36).slice(2, 10)}`;
  const adapter = new PlaygroundAdapter({
    port: 0,
    host: '127.0.0.1',
    redis: redis.client(),
    artifacts: new RedisArtifactStore(redis.client(), 3_600_000, `${keyPrefix}:artifact:`),
    keyPrefix,
    uploadLimitBytes: 1_000_000,
    logger: pino({ level: 'silent' }),
    ...options,
  });
  const requests: VideoRequest[] = [];
  const handler: RequestHandler = stubHandler({
    onVideoRequest: async (request) => void requests.push(request),
    onButton: async () => {},
  });
  await adapter.start(handler);
  running.push(adapter);
  return { adapter, requests, port: Number(new URL(adapter.url).port) };
}

const command = (session: string, text = '/video a red ball', headers: Record<string, string> = {}) => ({
  method: 'POST',
  path: '/api/command',
  headers: { 'content-type': 'application/json', 'x-clipbot-session': session, ...headers },
  body: JSON.stringify({ text }),
});

/** Opens an event stream and resolves with its status once the headers arrive; `close` ends it. */
function openStream(port: number, session: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; close: () => void }>((resolve, reject) => {
    const req: ClientRequest = request(
      { host: '127.0.0.1', port, path: `/api/events?session=${session}`, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        const done = () => resolve({ status: res.statusCode ?? 0, body, close: () => req.destroy() });
        if (res.statusCode === 200) done();
        else res.on('end', done);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the playground exposed safely', () => {
  it('will not listen beyond this machine without a token', async () => {
    const adapter = new PlaygroundAdapter({
      port: 0,
      host: '0.0.0.0',
      redis: redis.client(),
      artifacts: new RedisArtifactStore(redis.client(), 1_000, 'none:'),
      keyPrefix: 'none',
      uploadLimitBytes: 1,
      logger: pino({ level: 'silent' }),
    });
    await expect(adapter.start(stubHandler({}))).rejects.toThrow(/only with a token/);
  });

  it('when a request names another host (DNS rebinding), then it is refused with 403', async () => {
    const { port } = await playground();
    expect((await rawHttp(port, { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await rawHttp(port, { headers: { host: `localhost:${port}` } })).status).toBe(200);
    const foreign = await rawHttp(port, { headers: { host: `evil.example:${port}` } });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error).toMatch(/does not answer to that host name/);
    expect((await rawHttp(port, { headers: { host: 'localhost:1' } })).status).toBe(403);
    expect(
      (await rawHttp(port, { path: '/api/events?session=tab-0000-0001', headers: { host: 'evil.example' } }))
        .status,
    ).toBe(403);
  });

  it('answers the host names the operator lists, and no others', async () => {
    const { port } = await playground({ allowedHosts: ['clips.example.com', 'other.example:8443'] });
    expect((await rawHttp(port, { headers: { host: 'clips.example.com' } })).status).toBe(200);
    expect((await rawHttp(port, { headers: { host: `CLIPS.example.com:${port}` } })).status).toBe(200);
    expect((await rawHttp(port, { headers: { host: 'other.example:8443' } })).status).toBe(200);
    expect((await rawHttp(port, { headers: { host: 'other.example' } })).status).toBe(403);
    expect((await rawHttp(port, { headers: { host: `localhost:${port}` } })).status).toBe(403);
  });

  it('when a POST comes from another site, then it is refused with 403 and asks nothing', async () => {
    const { port, requests } = await playground();
    const from = (origin: string) => rawHttp(port, command('tab-0000-0002', '/video a ball', { origin }));
    expect((await from('http://evil.example')).status).toBe(403);
    expect((await from(`http://evil.example:${port}`)).status).toBe(403);
    expect((await from('null')).status).toBe(403);
    expect(requests).toHaveLength(0);
    expect((await from(`http://127.0.0.1:${port}`)).status).toBe(202);
    expect((await rawHttp(port, command('tab-0000-0002'))).status).toBe(202); // no Origin: not a browser's cross-site POST
    await until('the requests', () => requests.length === 2);
  });

  it('caps event streams per client address and in total, and a closed one frees its place', async () => {
    const { port } = await playground({
      trustedProxies: ['127.0.0.1'],
      streams: { perAddress: 2, total: 3 },
    });
    const from = (address: string, session: string) =>
      openStream(port, session, { 'x-forwarded-for': address });
    const a1 = await from('203.0.113.1', 'tab-aaaa-0001');
    const a2 = await from('203.0.113.1', 'tab-aaaa-0002');
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await from('203.0.113.1', 'tab-aaaa-0003');
    expect(a3.status).toBe(429);
    expect(JSON.parse(a3.body).error).toMatch(/Too many open playground tabs from your address/);
    const b1 = await from('203.0.113.2', 'tab-bbbb-0001');
    expect(b1.status).toBe(200);
    const c1 = await from('203.0.113.3', 'tab-cccc-0001');
    expect(c1.status).toBe(429);
    expect(JSON.parse(c1.body).error).toMatch(/too many open connections/);
    a1.close();
    let c2 = { status: 0, close: () => {} };
    await until('a freed place', async () => {
      c2 = await from('203.0.113.3', 'tab-cccc-0002');
      return c2.status === 200;
    });
    for (const s of [a2, b1, c2]) s.close();
  });

  it('when a reader stops reading, then its stream is dropped instead of buffered for', async () => {
    const { adapter, port } = await playground({
      streams: { perAddress: 1, maxBufferedBytes: 64 * 1024, drainTimeoutMs: 500 },
    });
    const session = 'tab-slow-0001';
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = 0;
    let ended = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.write(`GET /api/events?session=${session} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 200));
    socket.pause(); // reads nothing more: the kernel's buffers fill, then the server's
    // One message shown again and again (stored once), 64 KiB each time: 19 MiB in all, far more
    // than the kernel's socket buffers hold.
    const target = {
      platform: 'playground',
      kind: 'message',
      replyId: 'r-big',
      handle: { session, messageId: 'r-big' },
    } as const;
    const message = 'x'.repeat(64 * 1024);
    let published = 0;
    for (let i = 0; i < 300; i++) {
      await adapter.render(target, {
        kind: 'refused',
        reason: 'invalid-input',
        message,
        buttons: [],
        private: false,
      });
      published += message.length;
    }
    // The server has given up on it: a new stream from this address (one allowed) gets its place.
    const next = await openStream(port, 'tab-slow-0002');
    expect(next.status).toBe(200);
    next.close();
    socket.resume();
    await until('the server to end the stream', () => ended);
    expect(received).toBeLessThan(published / 2);
    socket.destroy();
  });

  it('when a body is over the limit, then the answer is 413 with a message, not a reset', async () => {
    const { adapter, requests } = await playground();
    const big = await fetch(new URL('/api/command', adapter.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-clipbot-session': 'tab-0000-0413' },
      body: JSON.stringify({ text: 'x'.repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/too large/);
    const fine = await rawHttp(Number(new URL(adapter.url).port), command('tab-0000-0413'));
    expect(fine.status).toBe(202);
    await until('the request', () => requests.length === 1);
  });
});

describe('limits count client addresses, not tabs', () => {
  it('when one address sends from ever new sessions, then every request is the same user: the address', async () => {
    const { port, requests } = await playground();
    for (let i = 0; i < 5; i++) expect((await rawHttp(port, command(`tab-rota-000${i}`))).status).toBe(202);
    await until('the requests', () => requests.length === 5);
    expect(new Set(requests.map((r) => r.user.id))).toEqual(new Set(['127.0.0.1']));
  });

  it('believes X-Forwarded-For only from a trusted proxy, reading it from the right', async () => {
    const direct = await playground();
    await rawHttp(direct.port, command('tab-xff0-0001', '/video a', { 'x-forwarded-for': '203.0.113.7' }));
    await until('the request', () => direct.requests.length === 1);
    expect(direct.requests[0]?.user.id).toBe('127.0.0.1');

    const proxied = await playground({ trustedProxies: ['127.0.0.1', '10.0.0.9'] });
    const via = async (forwardedFor: string) => {
      const before = proxied.requests.length;
      await rawHttp(proxied.port, command('tab-xff0-0002', '/video a', { 'x-forwarded-for': forwardedFor }));
      await until('the request', () => proxied.requests.length > before);
      return proxied.requests.at(-1)?.user.id;
    };
    expect(await via('203.0.113.7')).toBe('203.0.113.7');
    expect(await via('6.6.6.6, 203.0.113.7')).toBe('203.0.113.7'); // the client wrote the left part
    expect(await via('203.0.113.8, 10.0.0.9')).toBe('203.0.113.8'); // two proxies deep
    expect(await via('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64'); // IPv6 counts by its /64
    expect(await via('not-an-address')).toBe('127.0.0.1');
  });
});
