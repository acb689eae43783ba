import type { GeneratedVideo, QualityTier } from '../../src/model/index.ts';
import { tiersByCost } from './tier-choice.ts';

/**
 * How long one clip of each tier should take here, in ms, by tier name: the tier's own moving
 * average where this deployment has run it; else the manifest's `expectedMs` (figures for a modest
 * CPU) times the ratio measured/manifest of the measured tier nearest in cost, so a GPU machine that
 * has only run `medium` does not judge `high` by CPU figures. Between two measured tiers equally
 * near, the slower ratio wins: guessing slow costs one clip some quality, guessing fast a long wait.
 * A tier with neither a measurement nor a manifest figure is absent (not judged by time).
 */
export function expectedTimes(
  tiers: readonly QualityTier[],
  measured: ReadonlyMap<string, number>,
): Map<string, number> {
  const ordered = tiersByCost(tiers);
  const ratios = ordered.map((t) => {
    const ms = measured.get(t.name);
    return ms !== undefined && t.expectedMs !== undefined ? ms / t.expectedMs : undefined;
  });
  const times = new Map<string, number>();
  ordered.forEach((tier, index) => {
    const ms = measured.get(tier.name);
    if (ms !== undefined) times.set(tier.name, ms);
    else if (tier.expectedMs !== undefined)
      times.set(tier.name, Math.round(tier.expectedMs * nearestRatio(ratios, index)));
  });
  return times;
}

/** The ratio of the measured tier nearest to `index`; 1 (the manifest as it is) when none is. */
function nearestRatio(ratios: readonly (number | undefined)[], index: number): number {
  for (let distance = 1; distance < ratios.length; distance++) {
    const near = [ratios[index - distance], ratios[index + distance]].filter((r) => r !== undefined);
    if (near.length > 0) return Math.max(...near);
  }
  return 1;
}

/**
 * A finished clip's run time as its tier's average keeps it: as if it had taken the tier's own
 * steps. Sampling scales with the steps; text encoding, decoding and MP4 encoding do not. Without
 * this, a few `--steps 2` clips would make a tier look fast enough for every `auto` request.
 */
export function tierRun(video: GeneratedVideo, runMs: number): { tier: string; ms: number } {
  const { sampleMs } = video.timings;
  return { tier: video.tier.name, ms: runMs - sampleMs + (sampleMs * video.tier.steps) / video.steps };
}
