export {
  type CommandDefinition,
  type CommandOption,
  OPTION_TYPES,
  type OptionChoice,
  type OptionShape,
  type OptionType,
  type OptionValue,
  type OptionValues,
  type SubcommandDefinition,
} from './command-definition.ts';
export { CommandError, CommandErrorCode } from './command-error.ts';
export {
  askerOf,
  COMMAND_NAME,
  type CommandInvocation,
  type CommandModule,
  commandModuleSchema,
  type DefinedCommand,
  definedCommands,
  type InvocationContext,
  isCommandModule,
} from './command-module.ts';
export {
  DISCORD_OPTION_TYPE,
  DISCORD_SUB_COMMAND,
  type DiscordApplicationCommand,
  type DiscordCommandOption,
  discordCommandJson,
} from './discord-command-json.ts';
export { commandListText, type HelpHints, helpText, optionSyntax } from './help-text.ts';
export { loadCommands } from './load-commands.ts';
export { type ModelFacts, modelFacts } from './model-facts.ts';
export { type ParsedCommandLine, parseCommandLine, type TextReaders } from './parse-command-line.ts';
export { splitWords, type Word } from './split-words.ts';
export { valueText } from './value-text.ts';
