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
  /** Expected wait of the queue; with etaLimitMs, a long queue trades quality for speed. */
  queueEtaMs?: number;
  etaLimitMs?: number;
}

/** Tiers from the cheapest to the most expensive, by pixels × frames × steps. */
export function tiersByCost(tiers: readonly QualityTier[]): QualityTier[] {
  const cost = (t: QualityTier) => t.width * t.height * t.frames * t.steps;
  return [...tiers].sort((a, b) => cost(a) - cost(b));
}

/**
 * The highest tier the request allows whose memory need fits; `auto` asks for the best tier.
 * When even the cheapest does not fit, the cheapest is still tried: an out-of-memory error then
 * fails the job with a clear reason instead of never trying.
 */
export function chooseTier(
  tiers: readonly QualityTier[],
  quality: QualityChoice | string,
  defaultTier: string,
  limits: TierConstraints,
): TierChoice {
  const ordered = tiersByCost(tiers);
  const asked =
    quality === 'auto'
      ? (ordered.at(-1) as QualityTier)
      : (ordered.find((t) => t.name === quality) ??
        (ordered.find((t) => t.name === defaultTier) as QualityTier));
  let index = ordered.indexOf(asked);
  let reason: string | undefined;
  while (index > 0 && (ordered[index] as QualityTier).memoryMB > limits.availableMB) {
    index--;
    reason = `not enough memory for ${asked.name} (needs ${asked.memoryMB} MiB, ${Math.floor(limits.availableMB)} MiB free)`;
  }
  const overEta =
    limits.etaLimitMs !== undefined &&
    limits.queueEtaMs !== undefined &&
    limits.queueEtaMs > limits.etaLimitMs;
  if (overEta && index > 0 && quality === 'auto') {
    index--;
    reason = reason ?? `the queue is long (about ${Math.round((limits.queueEtaMs ?? 0) / 1000)} s)`;
  }
  const tier = ordered[index] as QualityTier;
  return tier === asked ? { tier, asked } : { tier, asked, fallbackReason: reason };
}

/** The next cheaper tier, or undefined at the bottom. */
export function lowerTier(tiers: readonly QualityTier[], current: QualityTier): QualityTier | undefined {
  const ordered = tiersByCost(tiers);
  const index = ordered.findIndex((t) => t.name === current.name);
  return index > 0 ? ordered[index - 1] : undefined;
}
