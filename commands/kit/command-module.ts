import { z } from 'zod';
import type {
  Asker,
  ReplyTarget,
  RequestHandler,
  TimeFormatter,
  VideoRequest,
} from '../../src/core/index.ts';
import type { CommandDefinition, OptionValues } from './command-definition.ts';
import type { ModelFacts } from './model-facts.ts';

/** Who asked, where, and what they may receive: the platform's part of a request. */
export type InvocationContext = Pick<
  VideoRequest,
  'requestId' | 'tenant' | 'user' | 'channelId' | 'receivedAt' | 'uploadLimitBytes'
> & {
  /**
   * How this platform writes a moment in a text answer (Discord `<t:…:R>`, the playground
   * "14:05 UTC"). Unset: {@link utcTime}.
   */
  formatTime?: TimeFormatter;
};

/** Who asks, where: the part of an invocation's context that commands making no clip pass on. */
export function askerOf({ tenant, user, channelId }: InvocationContext): Asker {
  return { tenant, user, channelId };
}

/** One use of a command: the option values (types checked, ranges not), who asked, where to answer. */
export interface CommandInvocation {
  values: OptionValues;
  /** The verb used, for a command with subcommands (`add` in `/video-schedule add …`). */
  subcommand?: string;
  context: InvocationContext;
  /** Made by the adapter; the command only passes it on. */
  target: ReplyTarget;
}

/**
 * One command file's export (the discord.js template's `{ data, execute }`): its name, its
 * definition for a given model, and what a use of it asks of the core.
 */
export interface CommandModule {
  readonly name: string;
  define(facts: ModelFacts): CommandDefinition;
  /**
   * Asks the core. Resolves to a text answer for the asker alone (≤ 2,000 characters) when the
   * definition has `privateAnswer`; otherwise to undefined, its replies going to the invocation's
   * target. Rejects only when the core could not answer at all (Redis down): the adapter says so.
   */
  execute(invocation: CommandInvocation, handler: RequestHandler): Promise<string | undefined>;
}

/** A command with its definition for one model: what an adapter routes a use of it by. */
export interface DefinedCommand {
  module: CommandModule;
  definition: CommandDefinition;
}

/** The commands by name, each defined for the model of `facts`. */
export function definedCommands(
  commands: readonly CommandModule[],
  facts: ModelFacts,
): Map<string, DefinedCommand> {
  return new Map(commands.map((module) => [module.name, { module, definition: module.define(facts) }]));
}

/** Discord's rule for command and option names, lowercase since names are matched as typed. */
export const COMMAND_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>(
    (value) => typeof value === 'function',
    `${what} must be a function`,
  );

/** The predicate a command file's default export must pass. */
export const commandModuleSchema = z.object({
  name: z.string().regex(COMMAND_NAME, 'name must be lowercase: 1 to 32 letters, digits, - or _'),
  define: fn('define(facts)'),
  execute: fn('execute(invocation, handler)'),
});

/** Whether `value` has a command module's shape. */
export function isCommandModule(value: unknown): value is CommandModule {
  return commandModuleSchema.safeParse(value).success;
}
