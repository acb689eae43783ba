import type { Redis } from 'ioredis';
import type { PlaygroundMessage } from './reply-view.ts';

/** How long a playground conversation is kept after its last change. */
const KEEP_MS = 24 * 3_600_000;
/** The newest messages a session keeps (older ones are trimmed), and a reconnecting page gets back. */
export const CONVERSATION_CAP = 200;
/** How long a brief message (a refusal, a notice, help, and the lines that got them) is kept. */
export const BRIEF_KEEP_MS = 5 * 60_000;
/** The newest brief messages a session keeps. */
const BRIEF_CAP = 20;

/**
 * Each playground user's messages in Redis, so a page that reconnects after a bot restart gets its
 * conversation, finished clips included, back. Two hashes per session: the conversation (kept a
 * day, capped) and brief messages (refusals, notices, help and the lines that got them, kept minutes,
 * capped), so lines that start no job cannot fill Redis for a day however many are sent.
 */
export class PlaygroundMessages {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Saves (or updates) a message; a brief one leaves the conversation if it was there. */
  async save(session: string, message: PlaygroundMessage, brief = false): Promise<void> {
    const [key, other] = brief
      ? [this.briefKey(session), this.key(session)]
      : [this.key(session), this.briefKey(session)];
    const replies = await this.redis
      .multi()
      .hset(key, message.id, JSON.stringify(message))
      .pexpire(key, brief ? BRIEF_KEEP_MS : KEEP_MS)
      .hdel(other, message.id)
      .hlen(key)
      .exec();
    const size = Number(replies?.[3]?.[1] ?? 0);
    const cap = brief ? BRIEF_CAP : CONVERSATION_CAP;
    if (size > cap) await this.trim(key, cap);
  }

  /** Moves a brief message into the conversation (a line the core answered with a job or a clip). */
  async keep(session: string, id: string): Promise<void> {
    const json = await this.redis.hget(this.briefKey(session), id);
    if (json) await this.save(session, JSON.parse(json) as PlaygroundMessage);
  }

  async get(session: string, id: string): Promise<PlaygroundMessage | undefined> {
    const [kept, brief] = await this.redis
      .multi()
      .hget(this.key(session), id)
      .hget(this.briefKey(session), id)
      .exec()
      .then((replies) => (replies ?? []).map(([, json]) => json as string | null));
    const json = kept ?? brief;
    return json ? (JSON.parse(json) as PlaygroundMessage) : undefined;
  }

  /** The session's messages, oldest first. */
  async all(session: string): Promise<PlaygroundMessage[]> {
    const [kept, brief] = await Promise.all([
      this.redis.hvals(this.key(session)),
      this.redis.hvals(this.briefKey(session)),
    ]);
    return sortMessages([...kept, ...brief]).slice(-CONVERSATION_CAP);
  }

  /** Drops the oldest messages of `key` beyond `cap`. */
  private async trim(key: string, cap: number): Promise<void> {
    const oldest = sortMessages(await this.redis.hvals(key)).slice(0, -cap);
    if (oldest.length > 0) await this.redis.hdel(key, ...oldest.map((m) => m.id));
  }

  private key(session: string): string {
    return `${this.prefix}:playground:messages:${session}`;
  }

  private briefKey(session: string): string {
    return `${this.prefix}:playground:brief:${session}`;
  }
}

function sortMessages(stored: string[]): PlaygroundMessage[] {
  return stored
    .map((json) => JSON.parse(json) as PlaygroundMessage)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
