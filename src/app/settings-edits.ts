import type { AdmissionLimits } from '../admission/index.ts';
import { SETTINGS_LIMIT_RANGES, type SettingsEdits } from '../core/index.ts';
import { canonicalZone, isTimeZone } from '../schedules/index.ts';
import { blockedTermSchema, type TenantSettings, type TenantSettingsUpdate } from '../tenants/index.ts';

const HOUR_MS = 3_600_000;
/** The quality that names no tier: the worker picks; as a default it clears the tenant's own. */
const AUTO = 'auto';

/** Each limit in words, for messages that say which value is wrong. */
const LIMIT_WORDS: Record<keyof typeof SETTINGS_LIMIT_RANGES, string> = {
  tenantClipsPerHour: 'Clips per hour for everyone together',
  userClipsPerHour: 'Clips per hour per person',
  maxActivePerUser: 'Videos in the queue at once per person',
  maxWaiting: 'Videos waiting at once',
};

/** Channel ids on our platforms: Discord snowflakes, Slack `C0123ABC`, the playground's name. */
const CHANNEL_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** What switches teasers off, in place of a channel. */
const OFF = /^(off|none|no)$/i;

/** A channel mention as Discord (`<#123>`) and Slack (`<#C123>`, `<#C123|general>`) write one. */
const CHANNEL_MENTION = /^<#([^<>|]+)(?:\|[^<>]*)?>$/;

/** The channel id an admin gave (an id, or a mention of the channel), or undefined when it is neither. */
export function channelIdOf(text: string): string | undefined {
  const trimmed = text.trim();
  const id = CHANNEL_MENTION.exec(trimmed)?.[1] ?? trimmed;
  return CHANNEL_ID.test(id) ? id : undefined;
}

/** A user's value inside a message: quoted and cut short. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;
}

/**
 * What is wrong with the edits, in words for the admin (the first problem found), or undefined
 * when every value is acceptable. Checked before anything is written.
 */
export function editsProblem(edits: SettingsEdits, tiers: readonly string[]): string | undefined {
  const quality = edits.defaultQuality;
  if (quality !== undefined && quality !== AUTO && !tiers.includes(quality))
    return `${shown(quality)} is not a quality of this model: choose ${[AUTO, ...tiers].join(', ')}.`;
  for (const [name, range] of Object.entries(SETTINGS_LIMIT_RANGES)) {
    const value = edits[name as keyof typeof SETTINGS_LIMIT_RANGES];
    if (value !== undefined && (!Number.isInteger(value) || value < range.min || value > range.max))
      return `${LIMIT_WORDS[name as keyof typeof SETTINGS_LIMIT_RANGES]} must be a whole number from ${range.min} to ${range.max.toLocaleString('en-US')}; got ${value}.`;
  }
  for (const channel of [edits.allowChannel, edits.disallowChannel])
    if (channel !== undefined && channelIdOf(channel) === undefined)
      return `Name a channel by picking it (#channel) or by its id; ${shown(channel)} is neither.`;
  const teasers = edits.teaserChannel;
  if (teasers !== undefined && !OFF.test(teasers.trim()) && channelIdOf(teasers) === undefined)
    return `Name the teasers' channel by picking it (#channel) or by its id, or write off; ${shown(teasers)} is neither.`;
  if (edits.timeZone !== undefined && !isTimeZone(edits.timeZone.trim()))
    return `${shown(edits.timeZone)} is not a time zone; write one like Europe/Berlin, America/New_York or UTC.`;
  for (const term of [edits.block, edits.unblock]) {
    if (term === undefined) continue;
    const checked = blockedTermSchema.safeParse(term);
    if (!checked.success) return sentence(checked.error.issues[0]?.message ?? 'that term cannot be blocked');
  }
  return undefined;
}

/** Whether the edits ask for any change (none: show the settings); `reset: false` and the like ask nothing. */
export function hasEdits(edits: SettingsEdits): boolean {
  const { reset, allowAllChannels, ...values } = edits;
  return reset === true || allowAllChannels === true || Object.values(values).some((v) => v !== undefined);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The store update the edits make of `current`: reset first, then each field. `applied`: the limits
 * in force before the fields apply (after a reset, the operator's). Lists change relative to `current`, so the store runs this again if another writer
 * got in between. A per-hour limit also sets its interval to an hour when the one in force is not.
 */
export function updateFor(
  edits: SettingsEdits,
  current: TenantSettings,
  applied: AdmissionLimits,
): TenantSettingsUpdate {
  const reset = edits.reset === true;
  const update: TenantSettingsUpdate = reset
    ? {
        enabled: true,
        limits: Object.fromEntries(Object.keys(current.limits).map((name) => [name, null])),
        blocklist: [],
        allowedChannels: [],
        defaultTier: null,
        timeZone: null,
        teaserChannel: null,
      }
    : {};
  if (edits.timeZone !== undefined) update.timeZone = canonicalZone(edits.timeZone.trim());
  if (edits.teaserChannel !== undefined)
    update.teaserChannel = OFF.test(edits.teaserChannel.trim())
      ? null
      : (channelIdOf(edits.teaserChannel) ?? null);
  if (edits.enabled !== undefined) update.enabled = edits.enabled;
  if (edits.defaultQuality !== undefined)
    update.defaultTier = edits.defaultQuality === AUTO ? null : edits.defaultQuality;

  const limits = { ...update.limits };
  if (edits.tenantClipsPerHour !== undefined) {
    limits.tenantClips = edits.tenantClipsPerHour;
    if (applied.tenantIntervalMs !== HOUR_MS) limits.tenantIntervalMs = HOUR_MS;
  }
  if (edits.userClipsPerHour !== undefined) {
    limits.userClips = edits.userClipsPerHour;
    if (applied.userIntervalMs !== HOUR_MS) limits.userIntervalMs = HOUR_MS;
  }
  if (edits.maxActivePerUser !== undefined) limits.maxActivePerUser = edits.maxActivePerUser;
  if (edits.maxWaiting !== undefined) limits.maxWaitingPerTenant = edits.maxWaiting;
  if (Object.keys(limits).length > 0) update.limits = limits;

  const channelEdits = [edits.allowAllChannels, edits.allowChannel, edits.disallowChannel];
  if (reset || channelEdits.some((edit) => edit !== undefined)) {
    let channels = reset || edits.allowAllChannels ? [] : [...current.allowedChannels];
    const allow = edits.allowChannel === undefined ? undefined : channelIdOf(edits.allowChannel);
    const disallow = edits.disallowChannel === undefined ? undefined : channelIdOf(edits.disallowChannel);
    if (allow !== undefined && !channels.includes(allow)) channels.push(allow);
    if (disallow !== undefined) channels = channels.filter((id) => id !== disallow);
    update.allowedChannels = channels;
  }
  if (reset || edits.block !== undefined || edits.unblock !== undefined) {
    let terms = reset ? [] : [...current.blocklist];
    const { block, unblock } = edits;
    if (block !== undefined && !terms.some((term) => same(term, block))) terms.push(block.trim());
    if (unblock !== undefined) terms = terms.filter((term) => !same(term, unblock));
    update.blocklist = terms;
  }
  return update;
}
