import type { Redis } from 'ioredis';
import type { ArtifactStore } from '../../artifacts/index.ts';
import type { FinishedClip } from '../../core/index.ts';

/** How long a message's clip stays reachable: as long as the message (the clip's own TTL may end it sooner). */
const KEEP_MS = 24 * 3_600_000;

/**
 * Which clip each playground message shows, for `/clips/<messageId>.mp4`: a reference to the clip
 * in the spine's artifact store, never a copy, so a cached clip shown in a thousand messages is
 * stored once. A clip that arrives without a key (nothing the spine sends) is stored there once.
 */
export class ClipShelf {
  constructor(
    private readonly redis: Redis,
    private readonly artifacts: ArtifactStore,
    private readonly prefix: string,
  ) {}

  async show(messageId: string, clip: FinishedClip): Promise<void> {
    let artifactKey = clip.artifactKey;
    if (artifactKey === undefined) {
      artifactKey = `playground-${messageId}`;
      await this.artifacts.put(artifactKey, clip.bytes);
    }
    await this.redis.set(this.key(messageId), artifactKey, 'PX', KEEP_MS);
  }

  /** The clip's bytes, or null when the message is unknown or its clip has expired. */
  async get(messageId: string): Promise<Buffer | null> {
    const artifactKey = await this.redis.get(this.key(messageId));
    return artifactKey === null ? null : this.artifacts.get(artifactKey);
  }

  /** The message no longer shows its clip (Delete); the clip itself may be other messages' too. */
  async remove(messageId: string): Promise<void> {
    const artifactKey = await this.redis.getdel(this.key(messageId));
    if (artifactKey === `playground-${messageId}`) await this.artifacts.delete(artifactKey);
  }

  private key(messageId: string): string {
    return `${this.prefix}:playground:clip:${messageId}`;
  }
}
