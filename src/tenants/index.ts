export { applyUpdate, type ParsedUpdate } from './apply-update.ts';
export { effectiveLimits } from './effective-limits.ts';
export { readStoredSettings } from './read-stored-settings.ts';
export {
  CHANNEL_NOT_ALLOWED_MESSAGE,
  DISABLED_MESSAGE,
  type TenantRefusal,
  tenantRefusal,
} from './tenant-access.ts';
export {
  blockedTermSchema,
  MAX_ALLOWED_CHANNELS,
  MAX_BLOCKLIST_TERMS,
  MAX_TERM_LENGTH,
  type StoredTenantSettings,
  type TenantLimits,
  type TenantSettings,
  type TenantSettingsUpdate,
  tenantLimitsSchema,
  tenantSettingsSchema,
  tenantSettingsUpdateSchema,
} from './tenant-settings.ts';
export {
  type SettingsProblem,
  settingsProblems,
  TenantSettingsError,
  TenantSettingsErrorCode,
} from './tenant-settings-error.ts';
export { TenantSettingsStore, type TenantSettingsStoreOptions } from './tenant-settings-store.ts';
