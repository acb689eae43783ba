import { z } from 'zod';
import { admissionLimitsSchema, moderationText } from '../admission/index.ts';
import { BLOCKED_TERM_MAX_LENGTH } from '../core/index.ts';

/** Most extra blocked terms one tenant may add, and the longest term. */
export const MAX_BLOCKLIST_TERMS = 200;
export const MAX_TERM_LENGTH = BLOCKED_TERM_MAX_LENGTH;
/** Most channels one tenant may allow. */
export const MAX_ALLOWED_CHANNELS = 500;

/** The admission limits that make sense per tenant; the global cap and the limiter's internals stay global. */
const perTenantLimits = admissionLimitsSchema.pick({
  tenantClips: true,
  tenantIntervalMs: true,
  userClips: true,
  userIntervalMs: true,
  maxActivePerUser: true,
  maxWaitingPerTenant: true,
});

/** A tenant's own admission limits, each over the operator's (absent: the operator's). */
export const tenantLimitsSchema = perTenantLimits.partial();

/** A tenant's own admission limits. */
export type TenantLimits = z.infer<typeof tenantLimitsSchema>;

export const blockedTermSchema = z
  .string()
  .trim()
  .min(1, { error: 'a blocked term cannot be empty', abort: true })
  .max(MAX_TERM_LENGTH, { error: `a blocked term has at most ${MAX_TERM_LENGTH} characters`, abort: true })
  // A term without letters would compile to no pattern and block nothing (see termPattern).
  .refine((term) => moderationText(term) !== '', 'a blocked term needs at least one letter');

export const channelIdSchema = z.string().min(1).max(100);

/** An IANA time zone name; whether Node knows it is checked where it is set. */
export const timeZoneSchema = z.string().min(1).max(64);

/** A quality tier name; which names exist is the model's business, checked by the store. */
export const tierNameSchema = z.string().min(1).max(50);

/**
 * One tenant's settings as stored (one JSON string per tenant). Absent fields take their defaults,
 * so a tenant with nothing stored gets the operator's behaviour.
 */
export const tenantSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('false: an admin switched the bot off for this tenant.'),
    limits: tenantLimitsSchema.default({}).describe('Admission limits over the operator defaults.'),
    blocklist: z
      .array(blockedTermSchema)
      .max(MAX_BLOCKLIST_TERMS, `at most ${MAX_BLOCKLIST_TERMS} terms`)
      .default([])
      .describe("Blocked terms added to the operator's list."),
    allowedChannels: z
      .array(channelIdSchema)
      .max(MAX_ALLOWED_CHANNELS, `at most ${MAX_ALLOWED_CHANNELS} channels`)
      .default([])
      .describe('Channel ids the bot answers in; empty: every channel.'),
    defaultTier: tierNameSchema.optional().describe('Quality tier for requests that name none.'),
    timeZone: timeZoneSchema.optional().describe("Schedules' zone when they name none; unset: UTC."),
    teaserChannel: channelIdSchema
      .optional()
      .describe("Where new events' teasers are posted; unset: no teasers."),
  })
  .strict();

/** Settings as parsed by {@link tenantSettingsSchema}, before the tier is known to exist. */
export type StoredTenantSettings = z.infer<typeof tenantSettingsSchema>;

/** One tenant's settings, checked: `defaultTier`, when set, is one of the store's tiers. */
export interface TenantSettings<Tier extends string = string> {
  readonly enabled: boolean;
  readonly limits: Readonly<TenantLimits>;
  readonly blocklist: readonly string[];
  readonly allowedChannels: readonly string[];
  readonly defaultTier?: Tier;
  readonly timeZone?: string;
  readonly teaserChannel?: string;
}

const limitShape = perTenantLimits.shape;

/**
 * A change to one tenant's settings. Each field given replaces the stored one, except `limits`,
 * which merges key by key; `null` clears a limit (back to the operator's) or the default tier.
 */
export const tenantSettingsUpdateSchema = z
  .object({
    enabled: z.boolean(),
    limits: z
      .object({
        tenantClips: limitShape.tenantClips.nullable(),
        tenantIntervalMs: limitShape.tenantIntervalMs.nullable(),
        userClips: limitShape.userClips.nullable(),
        userIntervalMs: limitShape.userIntervalMs.nullable(),
        maxActivePerUser: limitShape.maxActivePerUser.nullable(),
        maxWaitingPerTenant: limitShape.maxWaitingPerTenant.nullable(),
      })
      .partial()
      .strict(),
    blocklist: tenantSettingsSchema.shape.blocklist.unwrap(),
    allowedChannels: tenantSettingsSchema.shape.allowedChannels.unwrap(),
    defaultTier: tierNameSchema.nullable(),
    timeZone: timeZoneSchema.nullable(),
    teaserChannel: channelIdSchema.nullable(),
  })
  .partial()
  .strict();

/** What {@link TenantSettingsStore.set} accepts. */
export type TenantSettingsUpdate = z.input<typeof tenantSettingsUpdateSchema>;
