import type { Redis } from 'ioredis';
import type { PlaygroundMessage } from './reply-view.ts';

/** How long a playground conversation is kept after its last change. */
const KEEP_MS = 24 * 3_600_000;
/** The newest messages a reconnecting page gets back. */
const SNAPSHOT_SIZE = 200;

/**
 * Each playground user's messages in Redis (one hash per session), so a page that reconnects after
 * a bot restart gets its conversation, finished clips included, back.
 */
export class PlaygroundMessages {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(session: string, message: PlaygroundMessage): Promise<void> {
    const key = this.key(session);
    await this.redis.multi().hset(key, message.id, JSON.stringify(message)).pexpire(key, KEEP_MS).exec();
  }

  async get(session: string, id: string): Promise<PlaygroundMessage | undefined> {
    const json = await this.redis.hget(this.key(session), id);
    return json ? (JSON.parse(json) as PlaygroundMessage) : undefined;
  }

  /** The session's messages, oldest first. */
  async all(session: string): Promise<PlaygroundMessage[]> {
    const stored = Object.values(await this.redis.hgetall(this.key(session)));
    return stored
      .map((json) => JSON.parse(json) as PlaygroundMessage)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .slice(-SNAPSHOT_SIZE);
  }

  private key(session: string): string {
    return `${this.prefix}:playground:messages:${session}`;
  }
}
