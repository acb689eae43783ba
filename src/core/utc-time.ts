import type { TimeFormatter } from './queue-view.ts';

const MINUTE_MS = 60_000;

/**
 * "14:05 UTC", rounded up to the minute so a user who acts then is not early; with the date
 * ("09:00 UTC on 2026-11-29") when that is another UTC day than `now`. The time formatter of
 * platforms without their own (the playground, logs, the CLI).
 */
export const utcTime: TimeFormatter = (at, now) => {
  const iso = new Date(Math.ceil(at / MINUTE_MS) * MINUTE_MS).toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10)
    ? time
    : `${time} on ${iso.slice(0, 10)}`;
};
