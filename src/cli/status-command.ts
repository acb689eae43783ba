import { createSpineParts } from '../app/index.ts';
import { isProcessAlive, readStackRecord } from '../launcher/index.ts';
import { createRedis, untilReady } from '../redis/index.ts';
import type { CommandContext } from './command-context.ts';

const state = (pid: number) => (isProcessAlive(pid) ? `running (pid ${pid})` : `gone (pid ${pid})`);

/**
 * `clipbot status`: what the stack on this data folder is doing, for the operator: the launcher
 * and its processes, Redis, the workers seen lately and the queues. Exit status 0 when the stack
 * runs and a worker is alive, 1 otherwise.
 */
export async function runStatus(ctx: CommandContext): Promise<boolean> {
  const { config, stdout } = ctx;
  const lines: string[] = [];
  const record = await readStackRecord(config.redis.dataDir);
  if (record) {
    lines.push(`launcher        ${state(record.launcherPid)}, since ${record.startedAt}`);
    if (record.redis)
      lines.push(`redis-server    ${state(record.redis.pid)}, 127.0.0.1:${record.redis.port}`);
    for (const child of record.children) lines.push(`${child.name.padEnd(15)} ${state(child.pid)}`);
  } else {
    lines.push(`no clipbot start is running on ${config.redis.dataDir}`);
  }
  const url = config.redis.url ?? (record?.redis ? `redis://127.0.0.1:${record.redis.port}` : undefined);
  let healthy = false;
  if (url) {
    const redis = createRedis(url, { role: 'producer', logger: ctx.logger });
    const parts = createSpineParts(redis, { prefix: config.keyPrefix, limits: config.admission.limits });
    try {
      await untilReady(redis, url, 3_000);
      const [workers, generate] = await Promise.all([
        parts.workers.alive(),
        parts.generate.getJobCounts('waiting', 'prioritized', 'active', 'failed'),
      ]);
      lines.push(`redis           answering at ${new URL(url).host}`);
      lines.push(`workers         ${workers} alive`);
      lines.push(
        `generate        ${(generate.waiting ?? 0) + (generate.prioritized ?? 0)} waiting, ${generate.active ?? 0} running, ${generate.failed ?? 0} failed (kept)`,
      );
      for (const [platform, queue] of parts.deliver) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        const pending = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0);
        if (pending > 0) lines.push(`deliver         ${platform}: ${pending} replies on their way`);
      }
      healthy = workers > 0 && record !== undefined && isProcessAlive(record.launcherPid);
    } catch (error) {
      lines.push(`redis           not answering at ${new URL(url).host}: ${(error as Error).message}`);
    } finally {
      await parts.close().catch(() => undefined);
      redis.disconnect();
    }
  }
  stdout.write(`${lines.join('\n')}\n`);
  return healthy;
}
