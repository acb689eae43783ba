import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedis, type LocalRedis, startLocalRedis } from '../../src/redis/index.ts';

/** A real redis-server for one test file: started before its tests, stopped and removed after. */
export function useLocalRedis(): { client: () => Redis; url: () => string } {
  let server: LocalRedis | undefined;
  let dir = '';
  const clients: Redis[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-redis-'));
    server = await startLocalRedis({ dataDir: dir });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const url = () => {
    if (!server) throw new Error('redis not started yet');
    return server.url;
  };
  return {
    url,
    client: () => {
      const c = createRedis(url(), { role: 'worker' });
      clients.push(c);
      return c;
    },
  };
}
