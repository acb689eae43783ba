import type { Redis } from 'ioredis';

const FLAG_TTL_MS = 3_600_000;

/**
 * Cancel requests for running jobs, from the bot to whichever worker runs the job: a flag in Redis
 * (read when a job starts, so a cancel that races the job's start is not lost) and a pub/sub message
 * (so a running job stops within one step).
 */
export class CancelRequests {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  get channel(): string {
    return `${this.prefix}:cancel`;
  }

  async request(jobId: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.flag(jobId), '1', 'PX', FLAG_TTL_MS)
      .publish(this.channel, jobId)
      .exec();
  }

  async isRequested(jobId: string): Promise<boolean> {
    return (await this.redis.exists(this.flag(jobId))) === 1;
  }

  /**
   * Calls `onCancel(jobId)` for every request from now on. `subscriber` must be a connection of its
   * own: in subscriber mode it can run no other command. Resolves to an unsubscribe function.
   */
  async listen(subscriber: Redis, onCancel: (jobId: string) => void): Promise<() => Promise<void>> {
    const onMessage = (channel: string, jobId: string) => {
      if (channel === this.channel) onCancel(jobId);
    };
    subscriber.on('message', onMessage);
    await subscriber.subscribe(this.channel);
    return async () => {
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(this.channel);
    };
  }

  private flag(jobId: string): string {
    return `${this.prefix}:cancel:${jobId}`;
  }
}
