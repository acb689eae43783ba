import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type LocalRedis, startLocalRedis } from '../redis/index.ts';

/** The private redis-server, kept running: restarted on the same port and data when it dies. */
export interface KeptRedis {
  url: string;
  port: number;
  pid(): number;
  stop(): Promise<void>;
}

const RETRY_MS = 500;

/**
 * Starts the private redis-server and restarts it whenever it dies on its own (kill -9, out of
 * memory), on the same port and append-only file, so the bot and the worker reconnect by themselves
 * and lose nothing that reached the file. `onRestart` gets the new process id.
 */
export async function keepLocalRedis(
  dataDir: string,
  logger: Logger,
  onRestart: (pid: number) => void,
): Promise<KeptRedis> {
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const start = (port?: number) =>
    startLocalRedis({ dataDir, port, logger, onUnexpectedExit: () => void restart() });
  let current: LocalRedis = await start();
  const { port } = current;

  const restart = () => {
    restarting ??= (async () => {
      for (let attempt = 1; !stopping; attempt++) {
        try {
          current = await start(port);
          logger.warn({ port, attempt }, 'restarted the private redis-server');
          onRestart(current.pid);
          return;
        } catch (error) {
          // The old server's port may linger for a moment; one line per attempt is few: 2 a second.
          logger.error(
            { err: (error as Error).message, attempt },
            'could not restart the private redis-server',
          );
          await sleep(RETRY_MS);
        }
      }
    })().finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  return {
    url: current.url,
    port,
    pid: () => current.pid,
    stop: async () => {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
