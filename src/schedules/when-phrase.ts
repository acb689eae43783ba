/**
 * Phrases people type for a schedule, as cron: "every friday 18:00", "every day at 9:30", "every
 * monday" (at 09:00), "every weekday at 8am", "every monday and thursday at 19:00", "every 2 hours",
 * "every 30 minutes". Anything else is left to the cron reader.
 */

/** When a phrase names a day but no time. */
export const DEFAULT_TIME = { hour: 9, minute: 0 } as const;

const DAYS: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

/** Day names and their common short forms ("fri", "thurs"), with a plural "fridays". */
function dayNumber(word: string): number | undefined {
  const name = word.replace(/s$/, '');
  for (const [day, number] of Object.entries(DAYS))
    if (day === name || (name.length >= 3 && day.startsWith(name))) return number;
  return undefined;
}

/** Day-of-week fields for the words before the time. */
function daysField(words: readonly string[]): string | undefined {
  const joined = words.join(' ');
  if (['day', 'daily', 'night', 'morning', 'evening'].includes(joined)) return '*';
  if (joined === 'weekday') return '1-5';
  if (joined === 'weekend' || joined === 'weekend day') return '0,6';
  const days: number[] = [];
  for (const word of words) {
    if (word === 'and' || word === ',') continue;
    const day = dayNumber(word);
    if (day === undefined) return undefined;
    if (!days.includes(day)) days.push(day);
  }
  return days.length ? days.sort((a, b) => a - b).join(',') : undefined;
}

/** "18:00", "9:30", "6pm", "6:30 pm", "noon", "midnight". */
function timeOf(text: string): { hour: number; minute: number } | undefined {
  if (text === 'noon') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3];
  if (half === undefined && match[2] === undefined) return undefined; // "at 6": am or pm?
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/**
 * The cron expression (minute hour day-of-month month day-of-week) for a phrase, or undefined when
 * the text is not one of the phrases.
 */
export function cronOfPhrase(phrase: string): string | undefined {
  const text = phrase.toLowerCase().replace(/,/g, ' , ').replace(/\s+/g, ' ').trim();
  const interval = /^every (\d+ )?(minute|hour)s?$/.exec(text);
  if (interval) {
    const n = Number(interval[1] ?? 1);
    if (!Number.isInteger(n) || n < 1) return undefined;
    if (interval[2] === 'minute') return n < 60 && 60 % n === 0 ? `*/${n} * * * *` : undefined;
    return n < 24 && 24 % n === 0 ? `0 ${n === 1 ? '*' : `*/${n}`} * * *` : undefined;
  }
  if (text === 'hourly') return '0 * * * *';
  const match =
    /^(?:every |on )?(.+?)(?: at| @)? ?((?:\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm)?)|noon|midnight)?$/.exec(
      text.replace(/^daily\b/, 'day'),
    );
  if (!match?.[1]) return undefined;
  const days = daysField(match[1].split(' '));
  if (days === undefined) return undefined;
  const time = match[2] ? timeOf(match[2].trim()) : DEFAULT_TIME;
  if (!time) return undefined;
  return `${time.minute} ${time.hour} * * ${days}`;
}
