import { z } from 'zod';

const HOUR_MS = 3_600_000;
// Capacities up to 100,000 and intervals up to a year keep capacity × interval below 2^53, so the
// script's integer credit stays exact.
const count = z.number().int().min(1);
const durationMs = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * HOUR_MS);

/** The admission limits; each is checked by one atomic script (see admit-5.lua). */
export const admissionLimitsSchema = z
  .object({
    tenantClips: count.max(100_000).describe('Token-bucket capacity per tenant: clips per tenantIntervalMs.'),
    tenantIntervalMs: durationMs.describe('ms for a tenant bucket to refill from empty (continuously).'),
    userClips: count.max(100_000).describe('Token-bucket capacity per user: clips per userIntervalMs.'),
    userIntervalMs: durationMs.describe('ms for a user bucket to refill from empty (continuously).'),
    maxActivePerUser: count.describe('Jobs one user may have queued or running at once.'),
    maxWaitingPerTenant: count.describe('Jobs one tenant may have waiting in the queue.'),
    maxWaitingGlobal: count.describe('Jobs all tenants together may have waiting in the queue.'),
    sharesPerClip: count
      .max(1_000)
      .describe(
        'A clip shared from the cache or from an identical job in flight costs 1/this of a clip from both buckets.',
      ),
    keyTtlMs: durationMs.describe(
      'A job id left in a set this long is taken as leaked (lost markFinished) and frees its slot.',
    ),
    busyRetryMs: durationMs.describe('When the caller has no queue ETA: ms until a busy slot likely frees.'),
  })
  .strict();

/** The admission limits, validated: positive whole numbers. */
export type AdmissionLimits = z.infer<typeof admissionLimitsSchema>;

/**
 * The defaults, in one place: 30 clips an hour per tenant, 6 per user, one job at a time per user,
 * and a clip someone already made (or is making) at a quarter of the price.
 */
export const DEFAULT_ADMISSION_LIMITS: Readonly<AdmissionLimits> = Object.freeze({
  tenantClips: 30,
  tenantIntervalMs: HOUR_MS,
  userClips: 6,
  userIntervalMs: HOUR_MS,
  maxActivePerUser: 1,
  maxWaitingPerTenant: 10,
  maxWaitingGlobal: 100,
  sharesPerClip: 4,
  // No real job waits and runs this long; a leaked slot blocks a user for an hour at most.
  keyTtlMs: HOUR_MS,
  busyRetryMs: 60_000,
});

/**
 * `base` with `override` applied (a tenant's own settings, say), validated. Throws a ZodError naming
 * the bad field.
 */
export function withLimits(base: AdmissionLimits, override: Partial<AdmissionLimits>): AdmissionLimits {
  return admissionLimitsSchema.parse({ ...base, ...override });
}
