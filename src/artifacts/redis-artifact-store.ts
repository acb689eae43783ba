import type { Redis } from 'ioredis';
import type { ArtifactStore } from './artifact-store.ts';

/** The default store: MP4 bytes in Redis with a TTL, so nothing outlives its usefulness. */
export class RedisArtifactStore implements ArtifactStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly prefix = 'clipbot:artifact:',
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.redis.set(this.prefix + key, Buffer.from(bytes), 'PX', this.ttlMs);
  }

  get(key: string): Promise<Buffer | null> {
    return this.redis.getBuffer(this.prefix + key);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
