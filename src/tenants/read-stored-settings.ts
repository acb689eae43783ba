import type { z } from 'zod';
import {
  blockedTermSchema,
  channelIdSchema,
  MAX_ALLOWED_CHANNELS,
  MAX_BLOCKLIST_TERMS,
  type StoredTenantSettings,
  tenantLimitsSchema,
  tierNameSchema,
  timeZoneSchema,
} from './tenant-settings.ts';
import type { SettingsProblem } from './tenant-settings-error.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The valid entries of a stored list, each bad one reported and dropped. */
function validEntries(
  value: unknown,
  entry: z.ZodType<string>,
  max: number,
  field: string,
  problems: SettingsProblem[],
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ field, message: 'not a list; using none' });
    return [];
  }
  const kept = value.flatMap((item, i) => {
    const parsed = entry.safeParse(item);
    if (!parsed.success) problems.push({ field: `${field}.${i}`, message: 'invalid; dropped' });
    return parsed.success ? [parsed.data] : [];
  });
  if (kept.length > max) problems.push({ field, message: `more than ${max} entries; the rest dropped` });
  return kept.slice(0, max);
}

/**
 * Reads stored settings that may not validate any more (a tier the model dropped, a hand edit, an
 * older format): every valid field is kept, every bad one falls back to its default and is
 * reported. Never throws.
 */
export function readStoredSettings(
  raw: string,
  isTier: (name: string) => boolean,
): { settings: StoredTenantSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    problems.push({ field: '(settings)', message: 'not JSON; using the defaults' });
  }
  const input = isRecord(stored) ? stored : {};
  if (stored !== undefined && !isRecord(stored))
    problems.push({ field: '(settings)', message: 'not an object; using the defaults' });

  const settings: StoredTenantSettings = { enabled: true, limits: {}, blocklist: [], allowedChannels: [] };
  for (const [key, value] of Object.entries(input)) {
    if (key === 'enabled') {
      if (typeof value === 'boolean') settings.enabled = value;
      else problems.push({ field: key, message: 'not true or false; using true' });
    } else if (key === 'limits') {
      const limits = isRecord(value) ? value : {};
      if (!isRecord(value)) problems.push({ field: key, message: "not an object; using the operator's" });
      for (const [name, limit] of Object.entries(limits)) {
        const parsed = tenantLimitsSchema.safeParse({ [name]: limit });
        if (parsed.success) Object.assign(settings.limits, parsed.data);
        else problems.push({ field: `limits.${name}`, message: "invalid; using the operator's" });
      }
    } else if (key === 'blocklist') {
      settings.blocklist = validEntries(value, blockedTermSchema, MAX_BLOCKLIST_TERMS, key, problems);
    } else if (key === 'allowedChannels') {
      settings.allowedChannels = validEntries(value, channelIdSchema, MAX_ALLOWED_CHANNELS, key, problems);
    } else if (key === 'defaultTier') {
      const parsed = tierNameSchema.safeParse(value);
      if (parsed.success && isTier(parsed.data)) settings.defaultTier = parsed.data;
      else problems.push({ field: key, message: 'not a tier of this model; using none' });
    } else if (key === 'timeZone' || key === 'teaserChannel') {
      const parsed = (key === 'timeZone' ? timeZoneSchema : channelIdSchema).safeParse(value);
      if (parsed.success) settings[key] = parsed.data;
      else problems.push({ field: key, message: 'invalid; using none' });
    } else {
      problems.push({ field: key, message: 'not a setting; ignored' });
    }
  }
  return { settings, problems };
}
