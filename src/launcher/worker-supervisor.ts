import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const WORKER_MAIN = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));
/** Restarts allowed within RESTART_WINDOW_MS before the supervisor gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1_000;

export interface WorkerSupervisor {
  /** SIGTERM to the worker (it finishes or hands back its job) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Runs worker/main.ts as a child process with `env`, its output passed through, and restarts it when
 * it dies (BullMQ reruns the job it had), giving up after repeated crashes within a minute.
 */
export function superviseWorker(env: NodeJS.ProcessEnv, logger: Logger): WorkerSupervisor {
  let child: ChildProcess | undefined;
  let stopping = false;
  const restarts: number[] = [];
  let exited: Promise<void> = Promise.resolve();

  const spawnWorker = () => {
    // Its own process group, so a terminal's Ctrl-C reaches only the launcher, which stops the
    // worker while Redis is still up (the worker then finishes its job).
    const current = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    child = current;
    const killOnExit = () => current.kill('SIGTERM');
    process.once('exit', killOnExit);
    current.once('exit', () => process.off('exit', killOnExit));
    exited = new Promise((resolve) => {
      current.on('exit', (code, signal) => {
        resolve();
        if (stopping) return;
        const now = Date.now();
        restarts.push(now);
        while ((restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          logger.error({ code, signal }, 'the worker keeps dying; not restarting it (see its log above)');
          return;
        }
        logger.warn({ code, signal }, 'the worker exited; restarting it');
        setTimeout(() => {
          if (!stopping) spawnWorker();
        }, RESTART_DELAY_MS);
      });
    });
  };
  spawnWorker();

  return {
    stop: async () => {
      stopping = true;
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
