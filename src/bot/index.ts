export { type Bot, type BotOptions, startBot } from './bot.ts';
export { chatAdapters } from './chat-adapters.ts';
export { validationRulesFor } from './model-rules.ts';
export { type RunningBot, runBot } from './run-bot.ts';
