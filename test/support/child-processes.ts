import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** The children of `parent` (default: this process) with their command names, read from /proc (no procps on slim images). */
export async function childrenOf(parent = process.pid): Promise<{ pid: number; name: string }[]> {
  const children: { pid: number; name: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    if (Number(stat.slice(close + 2).split(' ')[1]) === parent) {
      children.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
    }
  }
  return children;
}

/** Command names of this process's children. */
export async function childCommands(): Promise<string[]> {
  return (await childrenOf()).map((child) => child.name);
}

/** Whether a process runs: it exists (signal 0 checks without sending) and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, { encoding: 'utf8', flag: 'r' }));
}
