// The file, not src/admission/index.ts: commands need this one function, not admission's Redis parts.
import { neutraliseMentions } from '../../src/admission/neutralise-mentions.ts';
import type { EffectiveLimit, TenantRef } from '../../src/core/index.ts';

/** The most a chat message may hold (Discord's limit, the tightest of our platforms). */
export const MAX_ANSWER_LENGTH = 2_000;

const NAMED_PERIODS: Record<number, string> = { 60000: 'minute', 3600000: 'hour', 86400000: 'day' };

/** "per hour", or "per 90 minutes" for an interval without a name. */
export function perPeriod(intervalMs: number): string {
  const name = NAMED_PERIODS[intervalMs];
  return name ? `per ${name}` : `per ${Math.ceil(intervalMs / 60_000)} minutes`;
}

/** "this hour", or "the last 90 minutes" for an interval without a name. */
export function thisPeriod(intervalMs: number): string {
  const name = NAMED_PERIODS[intervalMs];
  return name ? `this ${name}` : `the last ${Math.ceil(intervalMs / 60_000)} minutes`;
}

/** "1 clip", "3 clips". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Where the asker is, in words: "this server", "this workspace", "your DMs", "the playground". */
export function tenantWords(tenant: TenantRef): string {
  if (tenant.platform === 'playground') return 'the playground';
  if (tenant.id.startsWith('dm:')) return 'your DMs with the bot';
  return tenant.platform === 'slack' ? 'this workspace' : 'this server';
}

/** " (set here)" when any of the limits was set by the tenant rather than the operator. */
export function setHere(...limits: EffectiveLimit[]): string {
  return limits.some((limit) => limit.own) ? ' (set here)' : '';
}

/** Text a user typed, quoted, cut short and unable to mention anyone. */
export function quoted(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `“${neutraliseMentions(cut)}”`;
}

/** `text` within `max` characters, ending with an ellipsis line when cut. */
export function capped(text: string, max = MAX_ANSWER_LENGTH): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 2);
  const lastLine = cut.lastIndexOf('\n');
  return `${lastLine > max / 2 ? cut.slice(0, lastLine) : cut}\n…`;
}
