import type { AdmissionLimits } from '../admission/index.ts';
import type { SettingChange, TenantLimitName, TenantSettingsView } from '../core/index.ts';
import { effectiveLimits, type TenantSettings } from '../tenants/index.ts';

/** A tenant's settings as an admin sees them; `applied`: its limits in force (its own over the operator's). */
export function settingsView(
  settings: TenantSettings,
  applied: AdmissionLimits,
  tiers: readonly string[],
): TenantSettingsView {
  return {
    enabled: settings.enabled,
    ...(settings.defaultTier !== undefined ? { defaultQuality: settings.defaultTier } : {}),
    allowedChannels: [...settings.allowedChannels],
    blocklist: [...settings.blocklist],
    limits: effectiveLimits(applied, settings.limits),
    tiers: [...tiers],
    timeZone: settings.timeZone ?? 'UTC',
    ...(settings.teaserChannel !== undefined ? { teaserChannel: settings.teaserChannel } : {}),
  };
}

function listChange(
  setting: 'allowedChannels' | 'blocklist',
  before: readonly string[],
  after: readonly string[],
): SettingChange[] {
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  return added.length > 0 || removed.length > 0 ? [{ setting, added, removed }] : [];
}

/** What differs between two views of one tenant's settings, in a fixed order. */
export function settingsDiff(before: TenantSettingsView, after: TenantSettingsView): SettingChange[] {
  const changes: SettingChange[] = [];
  if (before.enabled !== after.enabled)
    changes.push({ setting: 'enabled', before: before.enabled, after: after.enabled });
  for (const [setting, was, now] of [
    ['defaultQuality', before.defaultQuality, after.defaultQuality],
    ['timeZone', before.timeZone, after.timeZone],
    ['teaserChannel', before.teaserChannel, after.teaserChannel],
  ] as const)
    if (was !== now)
      changes.push({
        setting,
        ...(was !== undefined ? { before: was } : {}),
        ...(now !== undefined ? { after: now } : {}),
      });
  for (const name of Object.keys(after.limits) as TenantLimitName[]) {
    const [was, now] = [before.limits[name], after.limits[name]];
    if (was.value !== now.value || was.own !== now.own)
      changes.push({ setting: name, before: was, after: now });
  }
  changes.push(...listChange('allowedChannels', before.allowedChannels, after.allowedChannels));
  changes.push(...listChange('blocklist', before.blocklist, after.blocklist));
  return changes;
}
