import type { LevelWithSilent } from 'pino';
import { loadConfig } from '../config/index.ts';
import { launchStack } from '../launcher/index.ts';
import { createLogger } from '../logging/index.ts';
import type { CommandContext, OutputStream } from './command-context.ts';
import { runGenerate } from './generate-command.ts';
import { runModels } from './models-command.ts';
import { parseCliArgs } from './parse-args.ts';
import type { ProgressStream } from './progress-line.ts';
import { ExitCode, reportFailure } from './report-failure.ts';
import { runStatus } from './status-command.ts';
import { usage } from './usage.ts';

/** The process as the CLI sees it; tests pass fakes and read what was written. */
export interface CliIo {
  stdout: OutputStream;
  stderr: ProgressStream;
  /** Default: process.env, read by loadConfig only. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default: process.cwd(). */
  cwd?: string;
  signal?: AbortSignal;
}

/**
 * Runs one clipbot command line and resolves to its exit status; never throws. Logs (provider
 * fallbacks) go to stderr as JSON; at the default level only warnings, since the CLI prints its own
 * progress. LOG_LEVEL=debug shows everything, stack traces included.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let debug = false;
  try {
    const args = parseCliArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(`${usage(args.topic)}\n`);
      return ExitCode.Ok;
    }
    const config = loadConfig(io.env);
    debug = config.log.level === 'debug' || config.log.level === 'trace';
    if (args.command === 'start') {
      // A service, not a one-shot command: logs at the configured level, one JSON line per event.
      await launchStack(config, createLogger(config.log), io.signal ?? new AbortController().signal);
      return ExitCode.Ok;
    }
    const level: LevelWithSilent = config.log.level === 'info' ? 'warn' : config.log.level;
    const ctx: CommandContext = {
      config,
      logger: createLogger({ level, destination: io.stderr }),
      stdout: io.stdout,
      stderr: io.stderr,
      cwd: io.cwd ?? process.cwd(),
      signal: io.signal,
    };
    if (args.command === 'status') return (await runStatus(ctx)) ? ExitCode.Ok : ExitCode.Failed;
    if (args.command === 'generate') await runGenerate(args, ctx);
    else await runModels(args, ctx);
    return ExitCode.Ok;
  } catch (error) {
    const report = reportFailure(error, { debug });
    io.stderr.write(report.text);
    return report.exitCode;
  }
}
