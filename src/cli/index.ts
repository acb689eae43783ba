export type { CommandContext, OutputStream } from './command-context.ts';
export type { CliArgs, GenerateArgs, HelpArgs, ModelsArgs } from './parse-args.ts';
export { parseCliArgs } from './parse-args.ts';
export {
  createProgressLine,
  describeProgress,
  type ProgressLine,
  type ProgressStream,
} from './progress-line.ts';
export { ExitCode, type FailureReport, reportFailure } from './report-failure.ts';
export { type CliIo, runCli } from './run-cli.ts';
export { formatTable } from './text-table.ts';
export { UsageError, type UsageTopic } from './usage-error.ts';
