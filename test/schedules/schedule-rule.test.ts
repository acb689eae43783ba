import { describe, expect, it } from 'vitest';
import { cronOfPhrase, nextRuns, readRule } from '../../src/schedules/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('schedule phrases', () => {
  it.each([
    ['every friday 18:00', '0 18 * * 5'],
    ['every Friday at 18:00', '0 18 * * 5'],
    ['every day at 9:30', '30 9 * * *'],
    ['daily at 07:15', '15 7 * * *'],
    ['every monday', '0 9 * * 1'],
    ['every weekday at 8am', '0 8 * * 1-5'],
    ['every monday and thursday at 19:00', '0 19 * * 1,4'],
    ['every fri 6:30 pm', '30 18 * * 5'],
    ['every sunday at midnight', '0 0 * * 0'],
    ['every 2 hours', '0 */2 * * *'],
    ['every 30 minutes', '*/30 * * * *'],
    ['every hour', '0 * * * *'],
  ])('reads "%s" as %s', (phrase, cron) => {
    expect(cronOfPhrase(phrase)).toBe(cron);
  });

  it('reads nothing else as a phrase: cron and nonsense are left to the cron reader', () => {
    for (const text of [
      '0 18 * * 5',
      'nonsense',
      'every 7 minutes',
      'every blursday',
      'every friday at 25:00',
    ])
      expect(cronOfPhrase(text)).toBeUndefined();
  });
});

describe('a schedule rule', () => {
  it('"every friday 18:00" in Europe/Berlin lands at 18:00 local on both sides of the October DST change', () => {
    const read = readRule('every friday 18:00', 'Europe/Berlin', 60_000);
    if (!('rule' in read)) throw new Error(read.problem);
    expect(read.rule).toEqual({
      cron: '0 18 * * 5',
      timeZone: 'Europe/Berlin',
      description: 'At 18:00, only on Friday',
    });
    // Summer time (UTC+2) ends on Sunday 25 October 2026; winter time is UTC+1.
    const runs = nextRuns(read.rule.cron, read.rule.timeZone, Date.parse('2026-10-14T00:00:00Z'), 4);
    expect(runs.map(iso)).toEqual([
      '2026-10-16T16:00:00.000Z',
      '2026-10-23T16:00:00.000Z',
      '2026-10-30T17:00:00.000Z',
      '2026-11-06T17:00:00.000Z',
    ]);
    // And in March, the other way round (summer time from Sunday 28 March 2027).
    const spring = nextRuns(read.rule.cron, read.rule.timeZone, Date.parse('2027-03-20T00:00:00Z'), 2);
    expect(spring.map(iso)).toEqual(['2027-03-26T17:00:00.000Z', '2027-04-02T16:00:00.000Z']);
  });

  it('a daily 02:30 in Berlin still runs once on the spring-forward day, when 02:30 does not exist', () => {
    const runs = nextRuns('30 2 * * *', 'Europe/Berlin', Date.parse('2027-03-27T12:00:00Z'), 2);
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((r) => iso(r).slice(0, 10))).size).toBe(2);
  });

  it('takes plain cron, with seconds too, and zones in any case', () => {
    const read = readRule('0 18 * * 5', 'america/new_york', 60_000);
    expect(read).toEqual({
      rule: { cron: '0 18 * * 5', timeZone: 'America/New_York', description: 'At 18:00, only on Friday' },
    });
    expect(readRule('*/5 * * * * *', 'UTC', 1_000)).toMatchObject({
      rule: { description: 'Every 5 seconds' },
    });
  });

  it('explains what is wrong: an unknown zone, text it cannot read, an am/pm it cannot guess, too often', () => {
    expect(readRule('every friday 18:00', 'Mars/Olympus', 60_000)).toEqual({
      problem: expect.stringContaining('"Mars/Olympus" is not a time zone'),
    });
    expect(readRule('whenever', 'UTC', 60_000)).toEqual({
      problem: expect.stringContaining('I cannot read "whenever" as a time'),
    });
    expect(readRule('every friday at 6', 'UTC', 60_000)).toEqual({
      problem: expect.stringContaining('Is that 6am or 6pm?'),
    });
    expect(readRule('99 99 * * *', 'UTC', 60_000)).toEqual({
      problem: expect.stringContaining('not a cron expression I can read'),
    });
    expect(readRule('every 30 minutes', 'UTC', 3_600_000)).toEqual({
      problem: 'That runs every 30 minutes; schedules here may run at most every hour.',
    });
  });
});
