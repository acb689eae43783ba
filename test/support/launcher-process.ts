import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isProcessAlive, readStackRecord } from '../../src/launcher/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A real `clipbot start` as a child process, with everything it and its children print. */
export interface LauncherProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output from `from` on (a string index). */
  waitFor(pattern: RegExp, ms?: number, from?: number): Promise<RegExpMatchArray>;
}

export function startLauncher(env: NodeJS.ProcessEnv): LauncherProcess {
  let output = '';
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete full.REDIS_URL;
  const child = spawn(process.execPath, ['bin/clipbot.mjs', 'start'], {
    cwd: ROOT,
    env: full,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    waitFor: async (pattern, ms = 60_000, from = 0) => {
      const end = Date.now() + ms;
      for (;;) {
        const match = output.slice(from).match(pattern);
        if (match) return match;
        if (Date.now() > end || child.exitCode !== null)
          throw new Error(`never saw ${pattern} (exit ${child.exitCode}):\n${output.slice(-4_000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** What the running stack recorded in its data folder. */
export const stackRecord = readStackRecord;

export const isAlive = isProcessAlive;

/**
 * Process ids of every redis-server working in `dataDir` (redis rewrites its command line, but it
 * runs in its --dir).
 */
export async function redisServersOn(dataDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if (cmd.startsWith('redis-server') && cwd.startsWith(dataDir)) found.push(Number(entry));
  }
  return found;
}

export async function until<T>(
  what: string,
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
