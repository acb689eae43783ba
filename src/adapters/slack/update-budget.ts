/**
 * Keeps progress edits of one workspace within Slack's Tier 3 budget for `chat.update` (about 50 a
 * minute per workspace, shared by every message there): a token bucket per workspace, refilled
 * continuously. Progress over the budget is skipped (the next progress, or the final state, shows
 * instead); final states never ask it.
 */
export class UpdateBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute = 40,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether one more progress edit in `teamId` fits now (and, if so, spends it). */
  take(teamId: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(teamId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    if (this.buckets.size >= 10_000 && !this.buckets.has(teamId)) this.buckets.clear();
    this.buckets.set(teamId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
