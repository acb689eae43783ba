import type { EffectiveLimit, EffectiveLimits, TenantLimitName } from './queue-view.ts';
import type { Asker } from './video-request.ts';

/**
 * The limits an admin may set, per hour, and the values they may take: the command's ranges
 * (Discord enforces them in its client) and the core's check for every other way in.
 */
export const SETTINGS_LIMIT_RANGES = {
  tenantClipsPerHour: { min: 1, max: 1_000 },
  userClipsPerHour: { min: 1, max: 100 },
  maxActivePerUser: { min: 1, max: 10 },
  maxWaiting: { min: 1, max: 1_000 },
} as const satisfies Record<string, { min: number; max: number }>;

/** The longest term a tenant may add to its blocklist. */
export const BLOCKED_TERM_MAX_LENGTH = 100;

/**
 * What an admin asked to change; every field optional, none given: show the settings. Applied in
 * this order, in one atomic write: reset, then each field.
 */
export interface SettingsEdits {
  /** Switch video making on or off in this tenant. */
  enabled?: boolean;
  /** A tier of the model for requests that name none; `auto` clears the default. */
  defaultQuality?: string;
  /** Clips the whole tenant may start per hour. */
  tenantClipsPerHour?: number;
  /** Clips one person may start per hour. */
  userClipsPerHour?: number;
  maxActivePerUser?: number;
  /** Jobs the tenant may have waiting at once. */
  maxWaiting?: number;
  /** A channel id, or a mention of it as the platform writes one (`<#123>`, `<#C123|name>`). */
  allowChannel?: string;
  disallowChannel?: string;
  /** true: clear the allowed channels, so every channel is allowed. */
  allowAllChannels?: boolean;
  /** A term to add to the tenant's blocklist. */
  block?: string;
  unblock?: string;
  /** The zone schedules run in when they name none (IANA: "Europe/Berlin"). */
  timeZone?: string;
  /** Where teasers for new community events go (a channel or its mention); `off`: no teasers. */
  teaserChannel?: string;
  /** true: back to the operator's defaults, before any other field applies. */
  reset?: boolean;
}

/** One /video-admin use: who asks (with `user.isAdmin` from the platform), where, and what to change. */
export interface SettingsCommand {
  /** The platform's id of this command (interaction id): logged with the change. */
  requestId: string;
  asker: Asker;
  edits: SettingsEdits;
}

/** A tenant's settings as an admin sees them. */
export interface TenantSettingsView {
  enabled: boolean;
  /** Tier for requests that name none; unset: auto. */
  defaultQuality?: string;
  /** Channels video is made in; empty: every channel. */
  allowedChannels: readonly string[];
  /** The tenant's own blocked terms (on top of the operator's list, which is not shown). */
  blocklist: readonly string[];
  limits: EffectiveLimits;
  /** The tiers `defaultQuality` may name. */
  tiers: readonly string[];
  /** Schedules' zone when they name none. */
  timeZone: string;
  /** Where new events' teasers go; unset: no teasers. */
  teaserChannel?: string;
}

/** One thing a settings command changed. */
export type SettingChange =
  | { setting: 'enabled'; before: boolean; after: boolean }
  | { setting: 'defaultQuality' | 'timeZone' | 'teaserChannel'; before?: string; after?: string }
  | { setting: TenantLimitName; before: EffectiveLimit; after: EffectiveLimit }
  | { setting: 'allowedChannels' | 'blocklist'; added: readonly string[]; removed: readonly string[] };

/** What /video-admin answers, to the asker alone. */
export type SettingsAnswer =
  /** The asker may not manage this tenant; nothing was read or changed. */
  | { kind: 'not-allowed'; message: string }
  /** A value is not acceptable; nothing was changed. */
  | { kind: 'invalid'; message: string }
  /** Something failed on our side (logged); nothing was changed. */
  | { kind: 'failed'; message: string }
  /** The settings after the command; `changes` is empty when it only showed them (or changed nothing). */
  | { kind: 'settings'; settings: TenantSettingsView; changes: readonly SettingChange[]; edited: boolean };
