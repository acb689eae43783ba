import type { RefusalReason } from '../core/index.ts';
import type { TenantSettings } from './tenant-settings.ts';

/** The refusals a tenant's own settings give before anything else is checked. */
export interface TenantRefusal {
  reason: Extract<RefusalReason, 'disabled' | 'channel-not-allowed'>;
  message: string;
}

export const DISABLED_MESSAGE =
  'Video generation is switched off here. Ask an admin of this server or workspace to switch it back on.';
export const CHANNEL_NOT_ALLOWED_MESSAGE =
  "I don't make videos in this channel. Try a channel the admins have allowed, or ask an admin to allow this one.";

/** Why the tenant's settings refuse a request in this channel, or undefined when they allow it. */
export function tenantRefusal(
  settings: Pick<TenantSettings, 'enabled' | 'allowedChannels'>,
  channelId: string,
): TenantRefusal | undefined {
  if (!settings.enabled) return { reason: 'disabled', message: DISABLED_MESSAGE };
  if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(channelId))
    return { reason: 'channel-not-allowed', message: CHANNEL_NOT_ALLOWED_MESSAGE };
  return undefined;
}
