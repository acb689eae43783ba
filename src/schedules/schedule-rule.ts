import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import { cronOfPhrase } from './when-phrase.ts';

/** A schedule's rule, checked: the cron expression BullMQ runs and the zone it runs in. */
export interface ScheduleRule {
  cron: string;
  timeZone: string;
  /** The rule in words ("At 18:00, only on Friday"). */
  description: string;
}

/** Whether `zone` is an IANA time zone this Node knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+/-]{0,60}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone as Intl spells it ("europe/berlin" → "Europe/Berlin"). */
export function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

const CRON_FIELDS = /^\S+( \S+){4,5}$/;

/**
 * The rule for what an admin typed: a phrase, else a cron expression (5 fields, or 6 with seconds
 * first). `minGapMs`: the shortest time allowed between two runs. Returns the rule, or what is
 * wrong in words.
 */
export function readRule(
  when: string,
  timeZone: string,
  minGapMs: number,
): { rule: ScheduleRule } | { problem: string } {
  const typed = when.trim().replace(/\s+/g, ' ');
  if (!isTimeZone(timeZone))
    return {
      problem: `"${timeZone.slice(0, 60)}" is not a time zone; write one like Europe/Berlin or America/New_York.`,
    };
  const zone = canonicalZone(timeZone);
  const cron = cronOfPhrase(typed) ?? (CRON_FIELDS.test(typed) ? typed : undefined);
  const hint =
    'Write it like "every friday 18:00", "every day at 9:30", "every monday", "every weekday at 8am", "every 2 hours", or as cron ("0 18 * * 5").';
  const hour = /\bat (\d{1,2})$/i.exec(typed)?.[1];
  if (cron === undefined && hour !== undefined)
    return {
      problem: `Is that ${hour}am or ${hour}pm? Write "${hour}am", "${hour}pm" or a 24-hour time like ${hour.padStart(2, '0')}:00.`,
    };
  if (cron === undefined) return { problem: `I cannot read "${typed.slice(0, 60)}" as a time. ${hint}` };
  let runs: number[];
  try {
    runs = nextRuns(cron, zone, Date.now(), 8);
  } catch {
    return { problem: `"${typed.slice(0, 60)}" is not a cron expression I can read. ${hint}` };
  }
  if (runs.length === 0) return { problem: `"${typed.slice(0, 60)}" never runs. ${hint}` };
  const gap = Math.min(...runs.slice(1).map((run, i) => run - (runs[i] as number)));
  if (gap < minGapMs)
    return {
      problem: `That runs every ${words(gap)}; schedules here may run at most every ${words(minGapMs)}.`,
    };
  return { rule: { cron, timeZone: zone, description: describe(cron) } };
}

/** The next `count` runs after `from` (ms since the epoch), in the rule's zone, DST included. */
export function nextRuns(cron: string, timeZone: string, from: number, count: number): number[] {
  const expression = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(from) });
  const runs: number[] = [];
  for (let i = 0; i < count && expression.hasNext(); i++) runs.push(expression.next().getTime());
  return runs;
}

/** The cron rule in words, 24-hour clock. */
export function describe(cron: string): string {
  return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
}

function words(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  const seconds = Math.round(ms / 1000);
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}
