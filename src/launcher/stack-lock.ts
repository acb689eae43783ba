import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { LauncherError, LauncherErrorCode } from './launcher-error.ts';

/** What a running stack records in its data folder, so the next launcher can find what it left. */
export interface StackRecord {
  launcherPid: number;
  startedAt: string;
  /** The private redis-server, when the launcher runs one. */
  redis?: { pid: number; port: number };
  /** The supervised children: the worker and one bot process per platform. */
  children: { name: string; pid: number }[];
}

/** The held lock: rewrite the record as processes start, release it at the end. */
export interface StackLock {
  record(update: Partial<StackRecord>): Promise<void>;
  release(): Promise<void>;
}

const FILE = 'clipbot-stack.json';

/**
 * Takes the data folder for one launcher. A second launcher on the same folder refuses with a
 * message naming the running one; one whose predecessor died (kill -9, a crash, a reboot) first
 * ends what the dead one left behind (its redis-server above all: two on one append-only file
 * would corrupt it), then takes over.
 */
export async function acquireStackLock(dataDir: string, logger: Logger): Promise<StackLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  let current: StackRecord = {
    launcherPid: process.pid,
    startedAt: new Date().toISOString(),
    children: [],
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(current));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const previous = await readRecord(path);
    if (
      previous &&
      isProcessAlive(previous.launcherPid) &&
      (await commandOf(previous.launcherPid)).includes('clipbot')
    ) {
      throw new LauncherError(
        LauncherErrorCode.AlreadyRunning,
        `clipbot is already running on ${dataDir} (launcher pid ${previous.launcherPid}, started ` +
          `${previous.startedAt}). Stop it first (Ctrl-C in its terminal, or kill ${previous.launcherPid}).`,
      );
    }
    if (previous) await endLeftovers(previous, logger);
    await rm(path, { force: true });
  }
  let writes: Promise<void> = Promise.resolve();
  return {
    record: (update) => {
      current = { ...current, ...update };
      const text = JSON.stringify(current);
      // One write at a time, each whole or not at all: `clipbot status` and the next launcher may
      // read the file at any moment.
      writes = writes
        .catch(() => undefined)
        .then(async () => {
          const partial = `${path}.${process.pid}.partial`;
          await writeFile(partial, text);
          await rename(partial, path);
        });
      return writes;
    },
    release: async () => {
      await writes.catch(() => undefined);
      await rm(path, { force: true });
    },
  };
}

/** Ends the processes a dead launcher left running, each only if it is still what was recorded. */
async function endLeftovers(previous: StackRecord, logger: Logger): Promise<void> {
  const leftovers = [
    ...previous.children.map((c) => ({ name: c.name, pid: c.pid, command: 'node' })),
    ...(previous.redis ? [{ name: 'redis-server', pid: previous.redis.pid, command: 'redis-server' }] : []),
  ];
  for (const { name, pid, command } of leftovers) {
    if (!isProcessAlive(pid) || !(await commandOf(pid)).includes(command)) continue;
    logger.warn({ name, pid }, 'ending a process the previous clipbot left running');
    // redis-server treats SIGTERM as SHUTDOWN: it syncs its append-only file before it exits.
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; isProcessAlive(pid) && waited < 10_000; waited += 100) await sleep(100);
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** What the stack running on `dataDir` recorded, or undefined when none runs (or ran) there. */
export function readStackRecord(dataDir: string): Promise<StackRecord | undefined> {
  return readRecord(join(dataDir, FILE));
}

async function readRecord(path: string): Promise<StackRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as StackRecord;
  } catch {
    return undefined; // unreadable: nothing to end, just take over
  }
}

/** Whether a process with this id exists (it may be another user's: EPERM still means alive). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line ('' when it is gone or unreadable): pids are reused. */
async function commandOf(pid: number): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.replaceAll('\0', ' ');
}
