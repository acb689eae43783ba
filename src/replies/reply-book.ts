import type { Redis } from 'ioredis';
import type { Platform, ReplyHandle, ReplyRecord, ReplyTarget } from '../core/index.ts';

/** How long a reply is remembered after its last change: its buttons work this long. */
export const REPLY_KEEP_MS = 2 * 24 * 3_600_000;

/** What the book knows of one reply when it is rendered. */
export interface ReplyState {
  /** The message that shows the reply now, when it moved away from its target's handle. */
  movedTo?: ReplyHandle;
  /** Its final state (clip, failure, cancel, refusal) was shown: it ends nothing again. */
  ended: boolean;
  private: boolean;
}

/**
 * Every reply's memory in Redis, one hash per reply (`<prefix>:reply:<platform>:<replyId>`): the
 * request it answers (for its buttons), the message that shows it now (when it moved), and whether
 * its final state was shown. Kept REPLY_KEEP_MS after the last change.
 */
export class ReplyBook {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly keepMs = REPLY_KEEP_MS,
  ) {}

  async remember(target: Pick<ReplyTarget, 'platform' | 'replyId'>, record: ReplyRecord): Promise<void> {
    // `private` on its own too: every render reads it, and need not parse the record for it.
    await this.write(target, ['record', JSON.stringify(record), 'private', record.private ? '1' : '0']);
  }

  async record(platform: Platform, replyId: string): Promise<ReplyRecord | undefined> {
    const json = await this.redis.hget(this.key({ platform, replyId }), 'record');
    return json ? (JSON.parse(json) as ReplyRecord) : undefined;
  }

  async state(target: ReplyTarget): Promise<ReplyState> {
    const [at, ended, isPrivate] = await this.redis.hmget(this.key(target), 'at', 'ended', 'private');
    return {
      ...(at ? { movedTo: JSON.parse(at) as ReplyHandle } : {}),
      ended: ended !== null,
      private: isPrivate === '1',
    };
  }

  async moved(target: ReplyTarget, to: ReplyHandle): Promise<void> {
    await this.write(target, ['at', JSON.stringify(to)]);
  }

  async ended(target: ReplyTarget): Promise<void> {
    await this.write(target, ['ended', String(Date.now())]);
  }

  private async write(target: Pick<ReplyTarget, 'platform' | 'replyId'>, fields: string[]): Promise<void> {
    const key = this.key(target);
    await this.redis
      .multi()
      .hset(key, ...fields)
      .pexpire(key, this.keepMs)
      .exec();
  }

  private key(target: Pick<ReplyTarget, 'platform' | 'replyId'>): string {
    return `${this.prefix}:reply:${target.platform}:${target.replyId}`;
  }
}
