import { type RefusalReason, tryAgainAt, utcTime } from '../../core/index.ts';
import type { AdmissionLimits } from './admission-limits.ts';

/** The refusals the admission limiter gives. */
export type LimitRefusalReason = Extract<
  RefusalReason,
  'user-busy' | 'tenant-queue-full' | 'queue-full' | 'tenant-rate-limit' | 'user-rate-limit'
>;

const MINUTE_MS = 60_000;
const NAMED_PERIODS: Record<number, string> = { 60000: 'minute', 3600000: 'hour', 86400000: 'day' };

function clips(n: number): string {
  return n === 1 ? '1 clip' : `${n} clips`;
}

/** "this hour", or "the last 90 minutes" for an interval without a name. */
function period(intervalMs: number): string {
  const name = NAMED_PERIODS[intervalMs];
  return name ? `this ${name}` : `the last ${Math.ceil(intervalMs / MINUTE_MS)} minutes`;
}

/** "14:05 UTC", or "09:00 UTC on 2026-11-29" on another UTC day than `now` (see utcTime). */
export function formatRetryTime(retryAt: number, now: number): string {
  return utcTime(retryAt, now);
}

/**
 * A friendly sentence naming the limit that refused and when to try again. `shared`: the request
 * would have shared a clip already made (it costs a part of one), so the sentence says what it costs.
 */
export function refusalMessage(
  reason: LimitRefusalReason,
  retryAt: number,
  limits: AdmissionLimits,
  now: number,
  options: { shared?: boolean } = {},
): string {
  const when = tryAgainAt(formatRetryTime(retryAt, now));
  const price =
    options.shared && limits.sharesPerClip > 1
      ? ` (${limits.sharesPerClip} clips that were already made count as one)`
      : '';
  switch (reason) {
    case 'tenant-rate-limit':
      return `Everyone here together has used the ${clips(limits.tenantClips)} allowed for ${period(limits.tenantIntervalMs)}${price}. ${when}`;
    case 'user-rate-limit':
      return `You have used your ${clips(limits.userClips)} for ${period(limits.userIntervalMs)}${price}. ${when}`;
    case 'user-busy':
      return limits.maxActivePerUser === 1
        ? `You already have a clip in the queue, and it is one at a time. ${when}`
        : `You already have ${clips(limits.maxActivePerUser)} in the queue, the most at a time. ${when}`;
    case 'tenant-queue-full':
      return limits.maxWaitingPerTenant === 1
        ? `A clip from here is already waiting in the queue, the most at a time. ${when}`
        : `${limits.maxWaitingPerTenant} clips from here are already waiting in the queue, the most at a time. ${when}`;
    case 'queue-full':
      return `The queue is full (${clips(limits.maxWaitingGlobal)} waiting). ${when}`;
  }
}
