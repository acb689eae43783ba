import { readdir, readFile } from 'node:fs/promises';

/** Command names of this process's children, read from /proc (no procps on slim images). */
export async function childCommands(): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    if (Number(stat.slice(close + 2).split(' ')[1]) === process.pid) {
      names.push(stat.slice(stat.indexOf('(') + 1, close));
    }
  }
  return names;
}
