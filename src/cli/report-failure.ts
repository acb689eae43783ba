import { ConfigError } from '../config/index.ts';
import { MediaError, MediaErrorCode } from '../media/index.ts';
import { PipelineError, PipelineErrorCode } from '../model/index.ts';
import { usage, usageSynopsis } from './usage.ts';
import { UsageError } from './usage-error.ts';

/** Exit statuses of the clipbot command. */
export enum ExitCode {
  Ok = 0,
  /** Generation, encoding, the model files or writing the clip failed. */
  Failed = 1,
  /** The command line or the environment was wrong; nothing was run. */
  Usage = 2,
  /** Cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
  Interrupted = 130,
}

/** What to print on stderr for a failure, and the status to exit with. */
export interface FailureReport {
  exitCode: ExitCode;
  text: string;
}

const isAbort = (error: unknown) =>
  (error instanceof PipelineError && error.code === PipelineErrorCode.Aborted) ||
  (error instanceof MediaError && error.code === MediaErrorCode.Aborted);

/** The stack and each cause below it, for LOG_LEVEL=debug. */
function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? '' : 'caused by:', e instanceof Error ? (e.stack ?? e.message) : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return lines.filter((line) => line !== '').join('\n');
}

/**
 * Turns anything the CLI threw into a message and exit status: usage and config mistakes exit 2
 * with a pointer to --help, cancellation exits 130, everything else exits 1 with `error: <message>`.
 * Stack traces only with `debug`, since the pipeline's and media's messages already say what and where.
 */
export function reportFailure(error: unknown, options: { debug?: boolean } = {}): FailureReport {
  if (error instanceof UsageError) {
    if (error.showUsage)
      return { exitCode: ExitCode.Usage, text: `error: ${error.message}\n\n${usage(error.topic)}\n` };
    const command = error.topic === 'main' ? '' : ` ${error.topic}`;
    return {
      exitCode: ExitCode.Usage,
      text: `error: ${error.message}\n${usageSynopsis(error.topic)}\nRun 'clipbot${command} --help' for more.\n`,
    };
  }
  if (error instanceof ConfigError) return { exitCode: ExitCode.Usage, text: `error: ${error.message}\n` };
  if (isAbort(error)) return { exitCode: ExitCode.Interrupted, text: 'cancelled\n' };
  const message = error instanceof Error ? error.message : String(error);
  const detail = options.debug ? `${stackOf(error)}\n` : '';
  return { exitCode: ExitCode.Failed, text: `error: ${message}\n${detail}` };
}
