import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.ts';
import { createRedis, type LocalRedis, RedisErrorCode, startLocalRedis } from '../../src/redis/index.ts';
import { pingRedis } from '../../src/redis/ping-redis.ts';

const silent = createLogger({ level: 'silent' });

async function connected(url: string, role: 'worker' | 'producer' = 'producer'): Promise<Redis> {
  const redis = createRedis(url, { role, logger: silent });
  await once(redis, 'ready');
  return redis;
}

async function appendOnlyText(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'appendonlydir');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.aof'));
  const texts = await Promise.all(files.map((name) => readFile(join(dir, name), 'latin1')));
  return texts.join('');
}

describe('startLocalRedis', () => {
  let dataDir: string;
  let server: LocalRedis;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clipbot-redis-'));
    server = await startLocalRedis({ dataDir: join(dataDir, 'nested', 'data'), logger: silent });
  });

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts a private redis-server on a free 127.0.0.1 port that answers PING', async () => {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const redis = await connected(server.url);
    try {
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
      expect(await redis.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    } finally {
      redis.disconnect();
    }
  });

  it('writes every change to an append-only file in the data folder, kept across a restart', async () => {
    const dir = join(dataDir, 'restart');
    const first = await startLocalRedis({ dataDir: dir });
    const before = await connected(first.url);
    await before.set('clipbot:test:kept', 'still here');
    before.disconnect();
    await first.stop();
    expect(await appendOnlyText(dir)).toContain('clipbot:test:kept');

    const second = await startLocalRedis({ dataDir: dir });
    try {
      const after = await connected(second.url);
      expect(await after.get('clipbot:test:kept')).toBe('still here');
      after.disconnect();
    } finally {
      await second.stop();
    }
  });

  it('stops cleanly: the port stops answering, and stopping again does nothing', async () => {
    const local = await startLocalRedis({ dataDir: join(dataDir, 'stop') });
    await local.stop();
    expect(await pingRedis(local.port, 300)).toBe(false);
    await expect(local.stop()).resolves.toBeUndefined();
  });

  it('when redis-server is missing, then the error says to install it or set REDIS_URL', async () => {
    const start = startLocalRedis({
      dataDir: join(dataDir, 'missing'),
      redisServerPath: '/nonexistent/redis-server',
    });
    await expect(start).rejects.toMatchObject({ code: RedisErrorCode.ServerNotFound });
    await expect(start).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/);
  });

  it("when the port is taken, then start-up fails with redis-server's own words", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const start = startLocalRedis({ dataDir: join(dataDir, 'taken'), port });
      await expect(start).rejects.toMatchObject({ code: RedisErrorCode.ServerStartFailed });
      await expect(start).rejects.toThrow(/exited[\s\S]*Address already in use/);
    } finally {
      blocker.close();
    }
  });
});

describe('createRedis', () => {
  it('gives workers BullMQ blocking settings and producers fail-fast settings', () => {
    const worker = createRedis('redis://127.0.0.1:1', { role: 'worker', logger: silent });
    const producer = createRedis('redis://127.0.0.1:1', { role: 'producer', logger: silent });
    try {
      expect(worker.options).toMatchObject({ maxRetriesPerRequest: null, connectionName: 'clipbot-worker' });
      expect(producer.options).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
    } finally {
      worker.disconnect();
      producer.disconnect();
    }
  });

  it('when Redis is unreachable, then a producer command fails at once and the error is logged', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const address = free.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => free.close(resolve));

    const producer = createRedis(`redis://127.0.0.1:${port}`, { role: 'producer', logger });
    try {
      await expect(producer.ping()).rejects.toThrow();
      await expect.poll(() => lines.length).toBeGreaterThan(0);
      expect(lines[0]).toMatchObject({
        role: 'producer',
        msg: 'redis unreachable; retrying (logged again once a minute)',
        error: { code: 'ECONNREFUSED' },
      });
    } finally {
      producer.disconnect();
    }
  });
});
