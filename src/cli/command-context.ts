import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { ProgressStream } from './progress-line.ts';

/** A stream the CLI prints results to: stdout, or a fake of it in tests. */
export interface OutputStream {
  write(text: string): unknown;
}

/** What every command runs with; main.ts builds it from the process, tests from fakes. */
export interface CommandContext {
  config: Config;
  logger: Logger;
  /** Results: the written path, the model listing. */
  stdout: OutputStream;
  /** Progress, notes and errors. */
  stderr: ProgressStream;
  /** Relative --out and --model paths resolve against this. */
  cwd: string;
  /** Ctrl-C: stops generation within one step and kills ffmpeg. */
  signal?: AbortSignal;
}
