// How much a Redis outage writes to the log: the bot core and a generate worker on a real
// redis-server that is killed and started again, a Queue pointed at a closed port, and a wrong
// password. Each counts log lines: a handful, never one per reconnect attempt.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts } from '../../src/app/index.ts';
import { startBot } from '../../src/bot/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { loadManifest, type VideoModel } from '../../src/model/index.ts';
import { freePort } from '../../src/redis/free-port.ts';
import { createRedis, startLocalRedis } from '../../src/redis/index.ts';
import { startGenerateWorker } from '../../worker/generate-worker.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

interface Line {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A root logger at debug whose lines the test reads; `since(i)` gives the lines from index i on. */
function captured(): { logger: Logger; lines: Line[]; text: () => string } {
  const lines: Line[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Line) },
  });
  return { logger, lines, text: () => JSON.stringify(lines) };
}

const atInfo = (lines: Line[]) => lines.filter((l) => l.level >= 30);

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('a Redis outage in the log', () => {
  it('when Redis is killed under a running bot and worker and comes back, then the log holds a few lines about it, not one per retry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clipbot-outage-'));
    let server = await startLocalRedis({ dataDir: dir });
    const { logger, lines } = captured();
    const connect = () => createRedis(server.url, { role: 'worker', logger });
    const parts = createSpineParts(connect(), {
      prefix: `o${randomUUID().slice(0, 8)}`,
      limits: DEFAULT_ADMISSION_LIMITS,
      logger,
    });
    const { manifest } = await loadManifest(BUNDLED_MANIFEST);
    const bot = await startBot({ parts, connect, adapters: [new RecordingAdapter()], manifest, logger });
    // No job runs here: the worker only waits on the queue, as an idle worker does.
    const model = { name: 'idle', tiers: [], defaultTier: 'low', fps: 8 } as unknown as VideoModel;
    const worker = await startGenerateWorker({
      model,
      parts,
      connection: connect(),
      subscriber: connect(),
      logger,
    });
    try {
      await sleep(500);
      const before = lines.length;
      // kill -9, as a crash would: the server's pid from the server itself.
      const info = await parts.redis.info('server');
      process.kill(Number(/process_id:(\d+)/.exec(info)?.[1]), 'SIGKILL');
      await server.stop();
      await sleep(4_000);
      const whileDown = lines.length - before;
      server = await startLocalRedis({ dataDir: dir, port: server.port });
      await until('the line saying redis is back', () =>
        lines.slice(before).some((l) => l.msg === 'redis reachable again'),
      );
      await sleep(1_000);
      const outage = lines.slice(before);
      const summary = outage.map((l) => `${l.level} ${l.msg}`);
      console.info(
        `Redis outage of 4 s under a bot and a worker: ${atInfo(outage).length} lines at info ` +
          `and above (${outage.length} with debug), ${whileDown} while it was down:\n  ${summary.join('\n  ')}`,
      );
      expect(atInfo(outage).length).toBeLessThanOrEqual(4);
      expect(outage.length).toBeLessThanOrEqual(20);
      expect(JSON.stringify(outage)).not.toMatch(/"stack"|\\n\s+at /);
      expect(outage.map((l) => l.msg)).toContain('redis unreachable; retrying (logged again once a minute)');
      // And everything works again.
      expect(await parts.generate.getJobCountByTypes('waiting')).toBe(0);
    } finally {
      await worker.close(0);
      await bot.close();
      await parts.close();
      await parts.redis.quit().catch(() => undefined);
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('when the spine points at a closed port for 3 s, then it logs one line, not one per retry', async () => {
    const { logger, lines } = captured();
    const redis = createRedis(`redis://127.0.0.1:${await freePort()}`, { role: 'worker', logger });
    const parts = createSpineParts(redis, { prefix: 'closed', limits: DEFAULT_ADMISSION_LIMITS, logger });
    void parts.generate.getJobCounts().catch(() => undefined); // a command waits for Redis meanwhile
    await sleep(3_000);
    redis.disconnect();
    await parts.close().catch(() => undefined);
    expect(atInfo(lines).map((l) => l.msg)).toEqual([
      'redis unreachable; retrying (logged again once a minute)',
    ]);
    expect(lines[0]).toMatchObject({ error: { code: 'ECONNREFUSED' }, role: 'worker' });
  }, 30_000);

  it('when the Redis password is wrong, then no line holds it, and its retries are not logged one by one', async () => {
    const password = `right-${randomUUID()}`;
    const wrong = `wrong-${randomUUID()}`;
    const port = await freePort();
    const server: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--requirepass',
        password,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    try {
      await sleep(300);
      const { logger, lines, text } = captured();
      const url = `redis://:${wrong}@127.0.0.1:${port}`;
      const redis = createRedis(url, { role: 'worker', logger });
      const parts = createSpineParts(redis, { prefix: 'pw', limits: DEFAULT_ADMISSION_LIMITS, logger });
      void parts.generate.getJobCounts().catch(() => undefined);
      const { manifest } = await loadManifest(BUNDLED_MANIFEST);
      // The bot waits for Redis before it serves: it never gets there with a wrong password.
      void startBot({
        parts,
        connect: () => createRedis(url, { role: 'worker', logger }),
        adapters: [],
        manifest,
        logger,
      }).catch(() => undefined);
      await sleep(3_000);
      redis.disconnect();
      expect(text()).not.toContain(wrong);
      expect(text()).not.toContain(password);
      expect(atInfo(lines)).toEqual([
        expect.objectContaining({
          msg: 'redis unreachable; retrying (logged again once a minute)',
          error: expect.objectContaining({ message: expect.stringMatching(/^WRONGPASS/), command: 'auth' }),
        }),
      ]);
    } finally {
      server.kill('SIGKILL');
    }
  }, 30_000);
});
