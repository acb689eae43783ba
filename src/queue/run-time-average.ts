import type { Redis } from 'ioredis';

/** Weight of the newest run in the moving average. */
const ALPHA = 0.2;

/**
 * A moving average of recent job run times, shared by every worker through Redis, for queue ETAs.
 * An exponential average forgets old runs, so the estimate follows a change of tier or hardware.
 */
export class RunTimeAverage {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly fallbackMs: number,
  ) {}

  async record(runMs: number): Promise<void> {
    // WATCH-free: a lost update between two workers only nudges an estimate.
    const current = await this.redis.get(this.key);
    const next = current === null ? runMs : ALPHA * runMs + (1 - ALPHA) * Number(current);
    await this.redis.set(this.key, Math.round(next));
  }

  async averageMs(): Promise<number> {
    const value = await this.redis.get(this.key);
    return value === null ? this.fallbackMs : Number(value);
  }

  /** Time until a job at this position starts and finishes, with one worker per GPU. */
  async etaMs(position: number, workers = 1): Promise<number> {
    const average = await this.averageMs();
    return Math.round((Math.ceil(position / Math.max(1, workers)) + 0.5) * average);
  }
}
