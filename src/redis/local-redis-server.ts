import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { freePort } from './free-port.ts';
import { pingRedis } from './ping-redis.ts';
import { RedisError, RedisErrorCode } from './redis-error.ts';

/** Options for {@link startLocalRedis}. */
export interface StartLocalRedisOptions {
  /** Folder for the append-only file (created when missing). */
  dataDir: string;
  /** TCP port on 127.0.0.1; default: a free one. */
  port?: number;
  /** The binary; default: `redis-server` on PATH. */
  redisServerPath?: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How long to wait for the first PONG (default 10 s). */
  startTimeoutMs?: number;
  /** Called when the server dies on its own after it started (not after `stop()`). */
  onUnexpectedExit?: (exit: string) => void;
}

/** A private redis-server child, reachable at `url` until `stop()`. */
export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  /** Asks the server to shut down (SIGTERM: fsync the AOF, exit) and waits for the exit. Idempotent. */
  stop(): Promise<void>;
}

const HINT =
  'Install it (Debian/Ubuntu: `apt-get install redis-server`) or set REDIS_URL to a running Redis.';
const OUTPUT_TAIL_CHARS = 4_000;
const KILL_AFTER_MS = 10_000;

/**
 * Starts a private `redis-server` for when no REDIS_URL is configured: append-only persistence in
 * `dataDir`, no RDB snapshots, bound to 127.0.0.1, in the foreground as a child of this process
 * (killed if this process exits without calling stop). Resolves once it answers PING.
 */
export async function startLocalRedis(options: StartLocalRedisOptions): Promise<LocalRedis> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // A port found free may be taken before redis binds it; pick another a few times.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(port, dataDir, options);
    } catch (error) {
      const portTaken = error instanceof RedisError && /address already in use/i.test(error.message);
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

async function startOn(port: number, dataDir: string, options: StartLocalRedisOptions): Promise<LocalRedis> {
  const binary = options.redisServerPath ?? 'redis-server';
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no'],
    ...['--appendonly', 'yes', '--dir', dataDir, '--save', ''],
  ];
  // Its own process group: a terminal's Ctrl-C reaches only clipbot, which stops Redis last, after the
  // worker and the bot have finished with it.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: NodeJS.ErrnoException | undefined;
  let exit: string | undefined;
  let stopping = false;
  let started = false;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((done) => {
    child.once('close', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      if (!stopping && started) {
        options.logger?.warn(
          { port, exit, output: output.slice(-500) },
          'local redis-server exited unexpectedly',
        );
        options.onUnexpectedExit?.(exit);
      }
      done();
    });
  });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const failed = async (message: string, code = RedisErrorCode.ServerStartFailed) => {
    process.off('exit', killOnExit);
    stopping = true;
    child.kill('SIGKILL');
    // A child that never spawned may never close; don't wait for it long.
    await Promise.race([exited, sleep(2_000)]);
    return new RedisError(code, `${message}\nredis-server output:\n${output.trim() || '(none)'}`);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    if (spawnError) {
      if (spawnError.code === 'ENOENT') {
        throw await failed(
          `redis-server not found (tried \`${binary}\`). ${HINT}`,
          RedisErrorCode.ServerNotFound,
        );
      }
      throw await failed(`could not start ${binary}: ${spawnError.message}. ${HINT}`);
    }
    if (exit) throw await failed(`redis-server exited (${exit}) before answering PING on 127.0.0.1:${port}.`);
    if (await pingRedis(port, 500)) break;
    if (Date.now() > deadline) {
      throw await failed(`redis-server did not answer PING on 127.0.0.1:${port} within the start timeout.`);
    }
    await sleep(25);
  }
  options.logger?.info({ port, dataDir, redisPid: child.pid }, 'started local redis-server');
  started = true;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= stopChild(child, exited, () => {
      stopping = true;
      process.off('exit', killOnExit);
    });
    return stopped;
  };
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid as number, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>, beforeStop: () => void): Promise<void> {
  beforeStop();
  if (child.exitCode === null && child.signalCode === null) {
    // redis treats SIGTERM as SHUTDOWN: it fsyncs the append-only file, then exits 0.
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}
