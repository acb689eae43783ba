import type { QualityChoice } from '../core/index.ts';

/** A quality a user can ask for by name ('auto' names no tier). */
export type NamedQuality = Exclude<QualityChoice, 'auto'>;

// A Record, so a quality added to QualityChoice fails to compile here until it is listed.
const NAMED: Record<NamedQuality, true> = { high: true, medium: true, low: true };

/**
 * The model's tiers a tenant may make its default: those a user could also ask for by name. Pass
 * the result as the settings store's `tiers`.
 */
export function defaultTierChoices(modelTiers: readonly string[]): NamedQuality[] {
  return modelTiers.filter((tier): tier is NamedQuality => Object.hasOwn(NAMED, tier));
}
