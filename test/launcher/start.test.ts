import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('clipbot start (the first README command)', () => {
  it('starts a private Redis, the worker and the bot on embedded defaults, and Ctrl-C stops all three', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clipbot-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLIPBOT_DATA_DIR: dataDir,
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_PLAYGROUND_PORT: '0',
    };
    delete env.REDIS_URL;
    const launcher = spawn(process.execPath, ['bin/clipbot.mjs', 'start'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    launcher.stdout.on('data', (d) => (output += d));
    launcher.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => launcher.on('exit', (code) => resolve(code)));
    try {
      const end = Date.now() + 90_000;
      while (!/"msg":"worker ready"/.test(output) || !/clipbot is running/.test(output)) {
        if (Date.now() > end || launcher.exitCode !== null) throw new Error(`did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const redisPort = Number(output.match(/"port":(\d+)[^\n]*started local redis-server/)?.[1]);
      const workerPort = Number(output.match(/"port":(\d+)[^\n]*"msg":"worker ready"/)?.[1]);
      expect(await accepts(redisPort)).toBe(true);
      const health = await (await fetch(`http://127.0.0.1:${workerPort}/healthz`)).json();
      expect(health).toMatchObject({ ok: true, model: 'shapes-v1', provider: 'cpu' });
      expect(await readdir(join(dataDir, 'redis'))).toContain('appendonlydir');

      launcher.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toMatch(/"msg":"worker stopped"/);
      expect(output).toMatch(/clipbot stopped/);
      expect(await accepts(redisPort)).toBe(false);
      expect(await accepts(workerPort)).toBe(false);
    } finally {
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
      if (existsSync(dataDir)) await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
