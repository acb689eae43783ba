import type {
  EffectiveLimit,
  SettingChange,
  SettingsAnswer,
  TenantLimitName,
  TenantRef,
  TenantSettingsView,
} from '../../src/core/index.ts';
import { capped, MAX_ANSWER_LENGTH, perPeriod, quoted, setHere, tenantWords } from './words.ts';

/** "1 hour", "90 minutes". */
function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? '1 hour' : `${ms / 3_600_000} hours`;
  const minutes = Math.ceil(ms / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

const LIMIT_LABELS: Record<TenantLimitName, string> = {
  tenantClips: 'Clips for everyone together',
  tenantIntervalMs: 'Period of the clips for everyone',
  userClips: 'Clips per person',
  userIntervalMs: 'Period of the clips per person',
  maxActivePerUser: 'Videos in the queue at once per person',
  maxWaitingPerTenant: 'Videos waiting at once',
};

function limitText(name: TenantLimitName, limit: EffectiveLimit): string {
  const value = name.endsWith('IntervalMs') ? duration(limit.value) : limit.value.toLocaleString('en-US');
  return `${value}${limit.own ? ' (set here)' : " (the operator's)"}`;
}

const channel = (id: string) => `<#${id}>`;
const term = (text: string) => quoted(text, 100);

/** Items joined by commas within `budget` characters, the rest counted. */
function listWithin(items: readonly string[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 2 > budget) break;
    shown.push(item);
    used += item.length + 2;
  }
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} …and ${rest} more` : shown.join(', ');
}

function changeLine(change: SettingChange): string {
  switch (change.setting) {
    case 'enabled':
      return `• Video making: ${change.before ? 'on' : 'off'} → ${change.after ? 'on' : 'off'}`;
    case 'defaultQuality':
      return `• Default quality: ${change.before ?? 'auto'} → ${change.after ?? 'auto'}`;
    case 'timeZone':
      return `• Time zone for schedules: ${change.before ?? 'UTC'} → ${change.after ?? 'UTC'}`;
    case 'teaserChannel': {
      const where = (id?: string) => (id === undefined ? 'off' : channel(id));
      return `• Teasers for new events: ${where(change.before)} → ${where(change.after)}`;
    }
    case 'allowedChannels':
    case 'blocklist': {
      const show = change.setting === 'allowedChannels' ? channel : term;
      const label = change.setting === 'allowedChannels' ? 'Allowed channels' : 'Blocked terms';
      const parts = [
        ...(change.added.length > 0 ? [`added ${listWithin(change.added.map(show), 300)}`] : []),
        ...(change.removed.length > 0 ? [`removed ${listWithin(change.removed.map(show), 300)}`] : []),
      ];
      return `• ${label}: ${parts.join('; ')}`;
    }
    default:
      return `• ${LIMIT_LABELS[change.setting]}: ${limitText(change.setting, change.before)} → ${limitText(change.setting, change.after)}`;
  }
}

function settingsLines(settings: TenantSettingsView, tenant: TenantRef, budget: number): string[] {
  const { limits } = settings;
  const clips = (count: EffectiveLimit, interval: EffectiveLimit, who: string) =>
    `${count.value.toLocaleString('en-US')} ${perPeriod(interval.value)} ${who}${setHere(count, interval)}`;
  const own = (limit: EffectiveLimit) => `${limit.value.toLocaleString('en-US')}${setHere(limit)}`;
  const lines = [
    `Settings for ${tenantWords(tenant)}:`,
    `Video making: ${settings.enabled ? 'on' : 'off'}`,
    `Default quality: ${settings.defaultQuality ?? 'auto'} (choices: ${['auto', ...settings.tiers].join(', ')})`,
    `Clips: ${clips(limits.tenantClips, limits.tenantIntervalMs, 'for everyone together')}; ${clips(limits.userClips, limits.userIntervalMs, 'per person')}`,
    `Videos in the queue at once per person: ${own(limits.maxActivePerUser)}; waiting at once: ${own(limits.maxWaitingPerTenant)}`,
    `Time zone for schedules: ${settings.timeZone}; teasers for new events: ${settings.teaserChannel === undefined ? 'off' : channel(settings.teaserChannel)}`,
  ];
  const fixed = lines.join('\n').length;
  const left = Math.max(100, budget - fixed - 80);
  lines.push(
    `Channels: ${settings.allowedChannels.length === 0 ? 'all' : listWithin(settings.allowedChannels.map(channel), left / 2)}`,
    `Blocked terms added here: ${settings.blocklist.length === 0 ? 'none' : listWithin(settings.blocklist.map(term), left / 2)}`,
  );
  return lines;
}

/**
 * /video-admin's answer in plain text, at most 2,000 characters: a refusal as it is, or what
 * changed (before → after) and then the settings as they are now, each limit marked where the
 * tenant set its own. Channels are written as mentions (`<#id>`), which ping no one; blocked terms
 * are quoted and cannot mention anyone.
 */
export function settingsAnswerText(answer: SettingsAnswer, tenant: TenantRef): string {
  if (answer.kind !== 'settings') return capped(answer.message);
  const head: string[] = [];
  if (answer.edited && answer.changes.length === 0)
    head.push('Nothing changed: the settings already were so.', '');
  else if (answer.changes.length > 0) head.push('Changed:', ...answer.changes.map(changeLine), '');
  const headText = capped(head.join('\n'), MAX_ANSWER_LENGTH / 2);
  const budget = MAX_ANSWER_LENGTH - headText.length - 1;
  return capped(
    `${headText}${headText ? '\n' : ''}${settingsLines(answer.settings, tenant, budget).join('\n')}`,
  );
}
