import type { AdmissionLimits } from '../admission/index.ts';
import type { EffectiveLimits, TenantLimitName } from '../core/index.ts';
import type { TenantLimits } from './tenant-settings.ts';

const NAMES: readonly TenantLimitName[] = [
  'tenantClips',
  'tenantIntervalMs',
  'userClips',
  'userIntervalMs',
  'maxActivePerUser',
  'maxWaitingPerTenant',
];

/** The limits that apply to a tenant (`applied`: its own over the operator's), each marked whose it is. */
export function effectiveLimits(applied: AdmissionLimits, own: Readonly<TenantLimits>): EffectiveLimits {
  const entries = NAMES.map((name) => [name, { value: applied[name], own: own[name] !== undefined }]);
  return Object.fromEntries(entries) as EffectiveLimits;
}
