import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A real worker process (worker/main.ts) as a child, with its output captured. */
export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The worker logs the port it got (CLIPBOT_WORKER_PORT=0 picks a free one) once it is ready. */
export async function readyPort(output: () => string, ms = 60_000): Promise<number> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ready = output().match(/"port":(\d+)[^\n]*"msg":"worker ready"/);
    if (ready) return Number(ready[1]);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`worker never became ready:\n${output()}`);
}
