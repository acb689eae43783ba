import type { QualityChoice } from '../../src/core/index.ts';
import type { QualityTier } from '../../src/model/index.ts';

/** The tier to render and, when it is below the asked one, why. */
export interface TierChoice {
  tier: QualityTier;
  asked: QualityTier;
  fallbackReason?: string;
}

export interface TierConstraints {
  /** Memory the worker may use now, in MiB (GPU free memory where known, else budget, else free RAM). */
  availableMB: number;
  /**
   * Expected ms of one clip here at each tier's own steps, by tier name (see expectedTimes); a tier
   * absent is not judged by time.
   */
  expectedMs?: ReadonlyMap<string, number>;
  /** `auto` takes the highest tier expected to finish within this many ms. */
  targetMs?: number;
  /** The request's steps, when it sets them: the time judged against the target scales with them. */
  steps?: number;
  /** Jobs waiting in the queue; with queueLimitMs, a long queue trades quality for speed. */
  waitingJobs?: number;
  /** When the waiting jobs would take longer than this at the chosen tier, `auto` drops one tier more. */
  queueLimitMs?: number;
}

/** Tiers from the cheapest to the most expensive, by pixels × frames × steps. */
export function tiersByCost(tiers: readonly QualityTier[]): QualityTier[] {
  const cost = (t: QualityTier) => t.width * t.height * t.frames * t.steps;
  return [...tiers].sort((a, b) => cost(a) - cost(b));
}

/**
 * The tier to render. A named quality gets that tier, lowered only while its memory does not fit.
 * `auto` asks for the best tier and takes the highest one whose memory fits and whose expected time
 * is within the target, then one lower still when the queue is long. When even the cheapest does
 * not fit, the cheapest is still tried: an out-of-memory error then fails the job with a clear
 * reason instead of never trying. The reason reads after "Made at medium instead of high: ".
 */
export function chooseTier(
  tiers: readonly QualityTier[],
  quality: QualityChoice | string,
  defaultTier: string,
  limits: TierConstraints,
): TierChoice {
  const ordered = tiersByCost(tiers);
  const auto = quality === 'auto';
  const asked = auto
    ? (ordered.at(-1) as QualityTier)
    : (ordered.find((t) => t.name === quality) ??
      (ordered.find((t) => t.name === defaultTier) as QualityTier));
  const at = (i: number) => ordered[i] as QualityTier;
  const expected = (i: number) => limits.expectedMs?.get(at(i).name);
  const expectedForRequest = (i: number) => {
    const ms = expected(i);
    return ms === undefined ? undefined : (ms * (limits.steps ?? at(i).steps)) / at(i).steps;
  };
  const reasons: string[] = [];
  let index = ordered.indexOf(asked);
  while (index > 0 && at(index).memoryMB > limits.availableMB) index--;
  if (at(index) !== asked) {
    reasons.push(
      `not enough memory for ${asked.name} (needs ${asked.memoryMB} MiB, ${Math.floor(limits.availableMB)} MiB free)`,
    );
  }
  const { targetMs, waitingJobs, queueLimitMs } = limits;
  if (auto && targetMs !== undefined) {
    const slow: { name: string; ms: number }[] = [];
    while (index > 0) {
      const ms = expectedForRequest(index);
      if (ms === undefined || ms <= targetMs) break;
      slow.push({ name: at(index).name, ms });
      index--;
    }
    if (slow.length > 0) reasons.push(tooSlow(slow, targetMs));
  }
  // The waiting jobs are judged at the tier's own steps: their steps are not known here.
  const perJob = expected(index);
  if (auto && index > 0 && queueLimitMs !== undefined && waitingJobs && perJob !== undefined) {
    const queueMs = waitingJobs * perJob;
    if (queueMs > queueLimitMs) {
      index--;
      reasons.push(`the queue is long (about ${seconds(queueMs)} of work waiting)`);
    }
  }
  const tier = at(index);
  return tier === asked ? { tier, asked } : { tier, asked, fallbackReason: joinReasons(reasons) };
}

/** "high would take about 10 s and medium about 3 s here, over the 1 s target". */
function tooSlow(slow: readonly { name: string; ms: number }[], targetMs: number): string {
  const [first, ...rest] = slow.map(
    (s, i) => `${s.name}${i === 0 ? ' would take' : ''} about ${seconds(s.ms)}`,
  );
  const listed = rest.length === 0 ? first : `${[first, ...rest.slice(0, -1)].join(', ')} and ${rest.at(-1)}`;
  return `${listed} here, over the ${seconds(targetMs)} target`;
}

/** "A", "A, and B", "A, B, and C": each reason has commas of its own, so the last one gets an "and". */
function joinReasons(reasons: readonly string[]): string {
  if (reasons.length <= 1) return reasons[0] ?? 'lower tier';
  return `${reasons.slice(0, -1).join(', ')}, and ${reasons.at(-1)}`;
}

/** 9840 → "10 s", 2960 → "3 s", 2100 → "2.1 s", 590 → "0.6 s": as precise as a chat reply needs. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 9.5 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

/** The next cheaper tier, or undefined at the bottom. */
export function lowerTier(tiers: readonly QualityTier[], current: QualityTier): QualityTier | undefined {
  const ordered = tiersByCost(tiers);
  const index = ordered.findIndex((t) => t.name === current.name);
  return index > 0 ? ordered[index - 1] : undefined;
}
