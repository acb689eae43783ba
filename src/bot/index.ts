export { type Bot, type BotOptions, startBot } from './bot.ts';
export { type RunningBot, runBot } from './run-bot.ts';
