import type { QualityChoice } from '../core/index.ts';

/**
 * The quality a request renders at: the tenant's default tier stands in only when the user named
 * none (`asked` undefined); an explicit 'auto' stays. Admission and the warm cache both use it, so a
 * warm clip is made at the quality a plain request of that tenant asks for.
 */
export function effectiveQuality(
  asked: QualityChoice | undefined,
  validated: QualityChoice,
  tenantDefault: QualityChoice | undefined,
): QualityChoice {
  return asked === undefined ? (tenantDefault ?? validated) : validated;
}
