import type { RefusalReason } from './reply.ts';
import type { TenantRef } from './video-request.ts';

/**
 * Writes a moment for people, the adapter's way: Discord a timestamp its clients localise
 * (`<t:1700000000:R>`), the playground "14:05 UTC". `now` is when the text is made.
 */
export type TimeFormatter = (at: number, now: number) => string;

/** One admission limit as it applies to a tenant: its value, and whether the tenant set it. */
export interface EffectiveLimit {
  value: number;
  /** true: the tenant's own setting; false: the operator's default. */
  own: boolean;
}

/** The admission limits a tenant's admins may change, each as it applies now. */
export interface EffectiveLimits {
  /** Clips the whole tenant may start per `tenantIntervalMs`. */
  tenantClips: EffectiveLimit;
  tenantIntervalMs: EffectiveLimit;
  /** Clips one person may start per `userIntervalMs`. */
  userClips: EffectiveLimit;
  userIntervalMs: EffectiveLimit;
  /** Jobs one person may have queued or running at once. */
  maxActivePerUser: EffectiveLimit;
  /** Jobs the tenant may have waiting at once. */
  maxWaitingPerTenant: EffectiveLimit;
}

/** The name of one of {@link EffectiveLimits}. */
export type TenantLimitName = keyof EffectiveLimits;

/** One of the asker's jobs as /video-queue shows it. Times are ms since the epoch. */
export type QueuedJobView =
  | {
      state: 'waiting';
      jobId: string;
      prompt: string;
      /** 1: next to start (in the whole queue, across tenants). */
      position: number;
      /** When it is expected to be done. */
      etaAt: number;
      /** Asked in another tenant than the one asking now. */
      elsewhere: boolean;
    }
  | {
      state: 'running';
      jobId: string;
      prompt: string;
      /** 0 of `totalSteps` until the worker's first report. */
      step: number;
      totalSteps: number;
      /** Set once the worker has reported. */
      tier?: string;
      etaAt: number;
      elsewhere: boolean;
    };

/** When the asker may start their next clip, by admission's current state. */
export type NextClipView =
  | { kind: 'now' }
  /** A limit refuses a new clip until `at` (ms since the epoch); `reason` names the first one. */
  | {
      kind: 'later';
      at: number;
      reason: Extract<
        RefusalReason,
        'user-busy' | 'user-rate-limit' | 'tenant-rate-limit' | 'tenant-queue-full' | 'queue-full'
      >;
    }
  /** The tenant's settings refuse every clip here: switched off, or not in this channel. */
  | { kind: 'closed'; reason: Extract<RefusalReason, 'disabled' | 'channel-not-allowed'> };

/** What /video-queue answers: the asker's own jobs, their tenant's queue and limits, their next clip. */
export interface QueueView {
  /** When the view was made (ms since the epoch); `etaAt` and `nextClip.at` are after it. */
  now: number;
  tenant: TenantRef;
  /** The asker's jobs queued or running (in every tenant of this platform), running first. */
  jobs: readonly QueuedJobView[];
  /** Jobs of the asker's tenant waiting in the queue now. */
  tenantWaiting: number;
  /** The tenant's limits: its own settings over the operator's. */
  limits: EffectiveLimits;
  /** Clips the asker and their tenant may still start before their buckets refill (whole clips). */
  clipsLeft: { user: number; tenant: number };
  nextClip: NextClipView;
  /** No worker is running now: waiting jobs wait until one is back. */
  noWorker: boolean;
}
