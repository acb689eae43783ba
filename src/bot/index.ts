export { type Bot, type BotOptions, DEFAULT_SCHEDULE_LIMITS, type ScheduleLimits, startBot } from './bot.ts';
export { type RunningBot, runBot } from './run-bot.ts';
