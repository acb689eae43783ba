import { CodedError } from '../../src/core/index.ts';

/** Why loading or running a command failed; stable strings for logs. */
export enum CommandErrorCode {
  /** A command file's export fails the predicate, or its name is not its file's. */
  InvalidModule = 'COMMAND_INVALID_MODULE',
  /** An invocation's values do not have the types the command's definition gives. */
  InvalidValues = 'COMMAND_INVALID_VALUES',
}

/** An error from commands/: the message names the file or the option at fault. */
export class CommandError extends CodedError<CommandErrorCode> {
  override readonly name = 'CommandError';
}
