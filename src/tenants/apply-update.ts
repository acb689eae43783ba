import type { z } from 'zod';
import type {
  StoredTenantSettings,
  TenantLimits,
  TenantSettings,
  tenantSettingsUpdateSchema,
} from './tenant-settings.ts';

/** A change that passed {@link tenantSettingsUpdateSchema}. */
export type ParsedUpdate = z.output<typeof tenantSettingsUpdateSchema>;

/**
 * The settings after a change: each given field replaces the stored one, `limits` merges key by
 * key, `null` clears a limit or the default tier, and an explicit `undefined` changes nothing.
 */
export function applyUpdate(current: TenantSettings, update: ParsedUpdate): StoredTenantSettings {
  const limits: TenantLimits = { ...current.limits };
  for (const [name, value] of Object.entries(update.limits ?? {})) {
    const key = name as keyof TenantLimits;
    if (value === null) delete limits[key];
    else if (value !== undefined) limits[key] = value;
  }
  const defaultTier = update.defaultTier === null ? undefined : (update.defaultTier ?? current.defaultTier);
  const timeZone = update.timeZone === null ? undefined : (update.timeZone ?? current.timeZone);
  const teaserChannel =
    update.teaserChannel === null ? undefined : (update.teaserChannel ?? current.teaserChannel);
  return {
    enabled: update.enabled ?? current.enabled,
    limits,
    blocklist: [...(update.blocklist ?? current.blocklist)],
    allowedChannels: [...(update.allowedChannels ?? current.allowedChannels)],
    ...(defaultTier !== undefined ? { defaultTier } : {}),
    ...(timeZone !== undefined ? { timeZone } : {}),
    ...(teaserChannel !== undefined ? { teaserChannel } : {}),
  };
}
