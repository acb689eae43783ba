import type { ScheduleAnswer, ScheduleView } from '../../src/core/index.ts';
import { capped, quoted } from './words.ts';

/** "Fri 4 Dec 2026, 18:00" in the schedule's zone. */
function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** One schedule in a few lines: what, where, when in words, and its next runs in its zone. */
function scheduleLines(schedule: ScheduleView, runsLabel: string): string[] {
  const state = schedule.paused ? ' (paused)' : '';
  const caption = schedule.caption ? `, caption ${quoted(schedule.caption, 60)}` : '';
  const lines = [
    `#${schedule.id}${state}: ${quoted(schedule.prompt, 80)}${caption} in <#${schedule.channelId}>`,
    `  When: ${schedule.description} (${schedule.timeZone}), from "${schedule.when.slice(0, 60)}"; made by <@${schedule.ownerId}>`,
  ];
  if (schedule.nextRuns.length > 0)
    lines.push(
      `  ${runsLabel}: ${schedule.nextRuns.map((run) => localTime(run, schedule.timeZone)).join('; ')}`,
    );
  return lines;
}

const DONE = {
  added: 'Scheduled',
  paused: 'Paused',
  resumed: 'Resumed',
  removed: 'Removed',
} as const;

/**
 * /video-schedule's answer in plain text, at most 2,000 characters: a refusal as it is; a changed
 * schedule with its rule in words and its next three runs in its own zone (so a mistake shows before
 * it runs); or the list. Mentions of channels and owners ping no one (the adapters send none).
 */
export function scheduleAnswerText(answer: ScheduleAnswer): string {
  switch (answer.kind) {
    case 'schedule': {
      const head = `${DONE[answer.action]} #${answer.schedule.id}.`;
      const lines = answer.action === 'removed' ? [] : scheduleLines(answer.schedule, 'Next runs');
      const tail =
        answer.action === 'added'
          ? ['Change it with /video-schedule pause, resume or remove and its number.']
          : [];
      return capped([head, ...lines, ...tail].join('\n'));
    }
    case 'list': {
      if (answer.schedules.length === 0)
        return `No schedules here yet (up to ${answer.max}). Add one with /video-schedule add.`;
      const head = `Schedules here: ${answer.schedules.length} of ${answer.max}.`;
      return capped([head, ...answer.schedules.flatMap((s) => scheduleLines(s, 'Next run'))].join('\n'));
    }
    default:
      return capped(answer.message);
  }
}
