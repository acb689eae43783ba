import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from 'pino';

/** A child that ran this long before it died is restarted after the first delay again. */
const STAYED_UP_MS = 60_000;

export interface ChildSpec {
  /** For logs and the stack record: 'worker', 'bot-playground'… */
  name: string;
  /** The TypeScript entry point, run through tsx. */
  script: string;
  env: NodeJS.ProcessEnv;
  /** Restart delays: the first, doubling for each death in a row up to the last. */
  delays: { delayMs: number; maxDelayMs: number };
}

export interface SupervisedChild {
  readonly name: string;
  /** The running process's id, or undefined between a death and its restart. */
  pid(): number | undefined;
  /**
   * SIGTERM, and SIGKILL after `graceMs`; resolves once it has exited. No restart after this.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * Runs a service process (worker/main.ts, src/bot/main.ts) as a child with its output passed
 * through, and restarts it whenever it dies, with a growing delay and no final give-up: a stack that
 * stops restarting its worker answers "queued" for ever. The child gets an IPC channel, so it sees
 * the launcher die however it dies (kill -9 included: 'disconnect') and stops itself.
 */
export function superviseChild(
  spec: ChildSpec,
  logger: Logger,
  onStart?: (pid: number) => void,
): SupervisedChild {
  let child: ChildProcess | undefined;
  let stopping = false;
  let delay = spec.delays.delayMs;
  let restartTimer: NodeJS.Timeout | undefined;
  let exited: Promise<void> = Promise.resolve();
  const log = logger.child({ child: spec.name });

  const start = () => {
    const startedAt = Date.now();
    // Its own process group, so a terminal's Ctrl-C reaches only the launcher, which stops the
    // children in order while Redis is still up.
    const current = spawn(process.execPath, ['--import', 'tsx', spec.script], {
      env: spec.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    child = current;
    if (current.pid !== undefined) onStart?.(current.pid);
    const killOnExit = () => current.kill('SIGTERM');
    process.once('exit', killOnExit);
    exited = new Promise((resolve) => {
      current.once('exit', (code, signal) => {
        process.off('exit', killOnExit);
        resolve();
        if (stopping) return;
        if (Date.now() - startedAt > STAYED_UP_MS) delay = spec.delays.delayMs;
        log.warn({ code, signal, restartInMs: delay }, `${spec.name} exited; restarting it`);
        restartTimer = setTimeout(() => {
          if (!stopping) start();
        }, delay);
        delay = Math.min(delay * 2, spec.delays.maxDelayMs);
      });
    });
  };
  start();

  return {
    name: spec.name,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    stop: async (graceMs) => {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill('SIGTERM');
      const kill = setTimeout(() => running.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
