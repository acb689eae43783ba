export {
  canonicalZone,
  describe,
  isTimeZone,
  nextRuns,
  readRule,
  type ScheduleRule,
} from './schedule-rule.ts';
export { type Schedule, type ScheduleDraft, ScheduleStore } from './schedule-store.ts';
export {
  type ScheduleRunData,
  ScheduleTimers,
  scheduleQueueName,
  schedulerIdOf,
} from './schedule-timers.ts';
export { cronOfPhrase, DEFAULT_TIME } from './when-phrase.ts';
