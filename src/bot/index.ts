export { type Bot, type BotOptions, startBot } from './bot.ts';
export { validationRulesFor } from './model-rules.ts';
