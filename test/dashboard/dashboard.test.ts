import { connect } from 'node:net';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const TOKEN = 'operator-secret-0123456789abcdef';

/** The queues as bull-board's API lists them. */
interface QueuesBody {
  queues: { name: string; counts: Record<string, number>; jobs: { id: string; name: string }[] }[];
}

describe('the Bull Board dashboard on a real Redis', () => {
  const redis = useLocalRedis();
  let dashboard: Dashboard;
  let base = '';
  let queues: Queue[] = [];

  beforeAll(async () => {
    const prefix = `dash${Date.now()}`;
    const connection = redis.client();
    queues = [new Queue('generate', { connection, prefix }), new Queue('deliver', { connection, prefix })];
    await queues[0]?.add('generate', { prompt: 'a red ball' }, { jobId: 'job-on-the-board' });
    dashboard = await startDashboard({
      port: 0,
      token: TOKEN,
      queues,
      logger: pino({ level: 'silent' }),
    });
    base = `http://127.0.0.1:${dashboard.port}`;
  });

  afterAll(async () => {
    await dashboard?.close();
    await Promise.all(queues.map((queue) => queue.close()));
  });

  const generateQueueUrl = () => `${base}/api/queues?activeQueue=generate&status=latest&page=1`;

  it('without a token, then answers 401 saying how to authenticate', async () => {
    for (const path of ['/', '/api/queues', '/static/favicon-32x32.png']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(/Authorization: Bearer <token>[\s\S]*\?token=<token>/);
    }
  });

  it('with a wrong token in the header, the query or the cookie, then answers 401 and sets no cookie', async () => {
    const wrong = [
      fetch(base, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } }),
      fetch(base, { headers: { authorization: 'Bearer short' } }),
      fetch(base, { headers: { authorization: TOKEN } }),
      fetch(`${base}/?token=${TOKEN}extra`),
      fetch(base, { headers: { cookie: `clipbot_dashboard=${TOKEN}` } }),
    ];
    for (const res of await Promise.all(wrong)) {
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      await res.body?.cancel();
    }
  });

  it('with the bearer token, then serves the page and lists the generate queue with its job', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const page = await fetch(base, { headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('clipbot queues');

    const res = await fetch(generateQueueUrl(), { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as QueuesBody;
    expect(body.queues.map((queue) => queue.name).sort()).toEqual(['deliver', 'generate']);
    const generate = body.queues.find((queue) => queue.name === 'generate');
    expect(generate?.counts.waiting).toBe(1);
    expect(generate?.jobs.map((job) => job.id)).toEqual(['job-on-the-board']);
  });

  it('with ?token= once, then sets an HttpOnly SameSite=Strict cookie that works alone', async () => {
    const first = await fetch(`${base}/?token=${encodeURIComponent(TOKEN)}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    await first.body?.cancel();
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);

    const cookie = setCookie.split(';')[0] ?? '';
    const res = await fetch(generateQueueUrl(), { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as QueuesBody;
    expect(body.queues.find((queue) => queue.name === 'generate')?.jobs[0]?.id).toBe('job-on-the-board');

    const asset = await fetch(`${base}/static/favicon-32x32.png`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    await asset.body?.cancel();
  });

  it('when a request target cannot be parsed, then answers it and keeps serving', async () => {
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(dashboard.port, '127.0.0.1', () => {
        socket.end(`GET http://[ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.1 4\d\d /);
    const res = await fetch(base, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('when the token is shorter than 24 characters, then refuses to start', async () => {
    await expect(
      startDashboard({ port: 0, token: 'too-short', queues, logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow(/at least 24 characters/);
  });

  it('when closed, then stops answering', async () => {
    const other = await startDashboard({ port: 0, token: TOKEN, queues, logger: pino({ level: 'silent' }) });
    const url = `http://127.0.0.1:${other.port}/`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    await other.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
