import type { Asker } from './video-request.ts';

/** The verbs of /video-schedule. */
export const SCHEDULE_ACTIONS = ['add', 'list', 'remove', 'pause', 'resume'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

/** The longest schedule phrase or cron expression accepted. */
export const SCHEDULE_WHEN_MAX_LENGTH = 100;

/** What a new schedule makes, where and when, as the admin typed it (checked by the core). */
export interface ScheduleSpec {
  prompt: string;
  /** A channel id, or a mention of it as the platform writes one (`<#123>`, `<#C123|name>`). */
  channel: string;
  /** A phrase ("every friday 18:00") or a cron expression (5 fields, or 6 with seconds). */
  when: string;
  /** An IANA time zone ("Europe/Berlin"); unset: the tenant's, else UTC. */
  timeZone?: string;
  caption?: string;
}

/** One /video-schedule use: who asks (with `user.isAdmin`), where, and what to do. */
export type ScheduleCommand = { requestId: string; asker: Asker } & (
  | { action: 'add'; spec: ScheduleSpec }
  | { action: 'list' }
  | { action: 'remove' | 'pause' | 'resume'; id: number }
);

/** A schedule as its tenant's admins see it. */
export interface ScheduleView {
  /** Small and per tenant: what admins type to remove, pause or resume it. */
  id: number;
  prompt: string;
  caption?: string;
  channelId: string;
  /** As typed. */
  when: string;
  /** The rule in words ("At 18:00, only on Friday"). */
  description: string;
  timeZone: string;
  paused: boolean;
  /** Who made it (the platform's user id). */
  ownerId: string;
  /** The next runs (ms since the epoch); none while paused. */
  nextRuns: readonly number[];
}

/** What /video-schedule answers, to the asker alone. */
export type ScheduleAnswer =
  /** The asker may not manage schedules here; nothing was read or changed. */
  | { kind: 'not-allowed'; message: string }
  /** A value is not acceptable, or the id names no schedule; nothing was changed. */
  | { kind: 'invalid'; message: string }
  /** Something failed on our side (logged); nothing was changed. */
  | { kind: 'failed'; message: string }
  /** The schedule the command made or changed (`removed`: it is gone). */
  | { kind: 'schedule'; action: 'added' | 'removed' | 'paused' | 'resumed'; schedule: ScheduleView }
  /** The tenant's schedules, and how many it may have. */
  | { kind: 'list'; schedules: readonly ScheduleView[]; max: number };
