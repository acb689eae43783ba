import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryArtifactStore, RedisArtifactStore } from '../../src/artifacts/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const mp4 = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 1, 2, 3, 255]);

describe('the Redis artifact store', () => {
  const redis = useLocalRedis();

  it('returns the exact bytes it was given, binary-safe', async () => {
    const store = new RedisArtifactStore(redis.client(), 60_000, `a${Date.now()}:`);
    await store.put('job-1', mp4);
    expect(Buffer.compare((await store.get('job-1')) as Buffer, mp4)).toBe(0);
  });

  it('forgets a clip after its TTL and after delete', async () => {
    const store = new RedisArtifactStore(redis.client(), 50, `b${Date.now()}:`);
    await store.put('short', mp4);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('short')).toBeNull();
    const kept = new RedisArtifactStore(redis.client(), 60_000, `c${Date.now()}:`);
    await kept.put('gone', mp4);
    await kept.delete('gone');
    expect(await kept.get('gone')).toBeNull();
  });
});

describe('the directory artifact store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-artifacts-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('returns the exact bytes and null for unknown keys', async () => {
    const store = new DirectoryArtifactStore(join(dir, 'nested'), 60_000);
    await store.put('job-1', mp4);
    expect(Buffer.compare((await store.get('job-1')) as Buffer, mp4)).toBe(0);
    expect(await store.get('job-2')).toBeNull();
  });

  it('treats files older than the TTL as gone and sweeps them', async () => {
    const store = new DirectoryArtifactStore(dir, 60_000);
    await store.put('old', mp4);
    await store.put('new', mp4);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'old.mp4'), hourAgo, hourAgo);
    expect(await store.sweep()).toBe(1);
    expect(await store.get('old')).toBeNull();
    expect(await store.get('new')).not.toBeNull();
  });

  it('refuses keys that could escape the folder', async () => {
    const store = new DirectoryArtifactStore(dir, 60_000);
    await expect(store.put('../etc/passwd', mp4)).rejects.toThrow(/artifact key must match/);
  });
});
