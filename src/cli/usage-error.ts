/** Which help text a usage error points at. */
export type UsageTopic = 'main' | 'start' | 'status' | 'generate' | 'models';

/**
 * The command line itself was wrong (unknown command or option, a value that does not parse): the
 * CLI prints the message with the usage of `topic` and exits 2, before any model is loaded.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** Print the whole help text, not just its first line (when no command was given at all). */
  readonly showUsage: boolean;

  constructor(
    message: string,
    readonly topic: UsageTopic = 'main',
    options: { showUsage?: boolean } = {},
  ) {
    super(message);
    this.showUsage = options.showUsage ?? false;
  }
}
