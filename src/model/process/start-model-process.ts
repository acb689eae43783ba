import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { ExecutionProviderName } from '../execution-providers.ts';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';
import type { FromModelProcess, ModelProcessError, ToModelProcess } from './messages.ts';

export interface ModelProcessStart {
  manifestPath: string;
  providers?: readonly ExecutionProviderName[];
  threads?: number;
  logger?: Logger;
  /** The process's entry module; default model-process-entry.mjs (a bundle brings its own). */
  entry?: URL;
}

const ENTRY = new URL('./model-process-entry.mjs', import.meta.url);

/** Forks the model process and waits until it has loaded the model (cuda → webgpu → cpu, as asked). */
export async function startModelProcess(
  start: ModelProcessStart,
): Promise<{ child: ChildProcess; provider: ExecutionProviderName }> {
  // No execArgv: the parent's (a test runner's, tsx's) are not the child's business; the entry
  // registers the loader it needs. 'advanced' serialization carries the frames' typed arrays.
  const child = fork(fileURLToPath(start.entry ?? ENTRY), [], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const load: ToModelProcess = {
    type: 'load',
    manifestPath: start.manifestPath,
    ...(start.providers ? { providers: [...start.providers] } : {}),
    ...(start.threads !== undefined ? { threads: start.threads } : {}),
    ...(start.logger ? { logLevel: start.logger.level } : {}),
  };
  let stopWaiting = () => {};
  const provider = await new Promise<ExecutionProviderName>((resolve, reject) => {
    const onMessage = (message: FromModelProcess) => {
      if (message.type === 'loaded') resolve(message.provider as ExecutionProviderName);
      else if (message.type === 'load-failed') reject(fromProcessError(message.error));
    };
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the model process exited (${exitReason(code, signal)}) while loading`));
    child.on('message', onMessage).on('error', reject).on('exit', onExit);
    stopWaiting = () => child.off('message', onMessage).off('error', reject).off('exit', onExit);
    child.send(load);
  })
    .catch(async (error: unknown) => {
      await stopModelProcess(child, 0);
      throw error;
    })
    .finally(() => stopWaiting());
  return { child, provider };
}

/** Closes the IPC channel (the process exits on 'disconnect'), then kills it if it has not gone in `graceMs`. */
export async function stopModelProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const exitReason = (code: number | null, signal: string | null): string => signal ?? `code ${code}`;

/** An error from the process as the caller's kind: a PipelineError keeps its code. */
export function fromProcessError(error: ModelProcessError): Error {
  const codes = Object.values(PipelineErrorCode) as string[];
  if (error.name === 'PipelineError' && error.code && codes.includes(error.code))
    return new PipelineError(error.code as PipelineErrorCode, error.message);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
