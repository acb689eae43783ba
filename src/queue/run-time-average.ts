import type { Redis } from 'ioredis';

/** Weight of the newest run in the moving average. */
const ALPHA = 0.2;

/**
 * A moving average of recent job run times, shared by every worker through Redis, for queue ETAs,
 * and one per quality tier (a hash under `<key>:tier`), for choosing the tier `auto` can afford.
 * An exponential average forgets old runs, so the estimate follows a change of tier or hardware.
 */
export class RunTimeAverage {
  private readonly tierKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly fallbackMs: number,
  ) {
    this.tierKey = `${key}:tier`;
  }

  /**
   * Records one run of `runMs`; with `tierRun`, that tier's average moves by `tierRun.ms` (the caller
   * may normalise it, e.g. to the tier's own steps).
   */
  async record(runMs: number, tierRun?: { tier: string; ms: number }): Promise<void> {
    // WATCH-free: a lost update between two workers only nudges an estimate.
    const [current, currentTier] = await Promise.all([
      this.redis.get(this.key),
      tierRun ? this.redis.hget(this.tierKey, tierRun.tier) : null,
    ]);
    await Promise.all([
      this.redis.set(this.key, moved(current, runMs)),
      tierRun ? this.redis.hset(this.tierKey, tierRun.tier, moved(currentTier, tierRun.ms)) : undefined,
    ]);
  }

  async averageMs(): Promise<number> {
    const value = await this.redis.get(this.key);
    return value === null ? this.fallbackMs : Number(value);
  }

  /** The average run time of each tier that has run, by tier name; a tier never run is absent. */
  async tierAveragesMs(): Promise<Map<string, number>> {
    const values = await this.redis.hgetall(this.tierKey);
    return new Map(Object.entries(values).map(([tier, ms]) => [tier, Number(ms)]));
  }

  /** Time until a job at this position starts and finishes, with one worker per GPU. */
  async etaMs(position: number, workers = 1): Promise<number> {
    const average = await this.averageMs();
    return Math.round((Math.ceil(position / Math.max(1, workers)) + 0.5) * average);
  }
}

function moved(current: string | null, runMs: number): number {
  return Math.round(current === null ? runMs : ALPHA * runMs + (1 - ALPHA) * Number(current));
}
