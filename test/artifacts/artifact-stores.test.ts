import { describe, expect, it } from 'vitest';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
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
