import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isAlive,
  type LauncherProcess,
  redisServersOn,
  stackRecord,
  startLauncher,
  until,
} from '../support/launcher-process.ts';
import { playgroundPost, playgroundSnapshot } from '../support/playground-client.ts';

const PLAYGROUND = /playground: open (http:\/\/127\.0\.0\.1:\d+\/)/;
const BOT_HEALTH = /"port":(\d+)[^\n]*"msg":"bot ready"/;

describe('clipbot start keeps its stack alive and never leaves one behind', () => {
  const launched: LauncherProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const l of launched.splice(0)) if (l.child.exitCode === null) l.child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) {
      for (const pid of await redisServersOn(dir)) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function stack(dataDir: string, env: NodeJS.ProcessEnv = {}) {
    const launcher = startLauncher({
      CLIPBOT_DATA_DIR: dataDir,
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_PLAYGROUND_PORT: '0',
      CLIPBOT_BOT_PORT: '0',
      CLIPBOT_RESTART_DELAY_MS: '200',
      ...env,
    });
    launched.push(launcher);
    const from = 0;
    const [, base] = (await launcher.waitFor(PLAYGROUND, 90_000, from)) as [string, string];
    await launcher.waitFor(/"msg":"worker ready"/, 90_000);
    const [, health] = (await launcher.waitFor(BOT_HEALTH, 90_000)) as [string, string];
    return { launcher, base, healthUrl: `http://127.0.0.1:${health}/healthz` };
  }
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clipbot-survive-'));
    dirs.push(dir);
    return dir;
  };
  // While Redis restarts, an event stream may end before its snapshot (the page reconnects): none yet.
  const finals = async (base: string, session: string) =>
    (await playgroundSnapshot(base, session).catch(() => [])).filter(
      (m) => m.author === 'bot' && ['done', 'failed', 'cancelled', 'refused'].includes(m.reply?.kind ?? ''),
    );

  it('after kill -9 of the launcher, the next start ends every leftover, runs one Redis, and answers every accepted job once', async () => {
    const dataDir = await tempDir();
    // Four jobs from one address (the playground limits per client address) may wait at once.
    const first = await stack(dataDir, { CLIPBOT_USER_MAX_ACTIVE: '4' });
    // A second launcher on the same folder refuses and names the running one.
    const second = startLauncher({
      CLIPBOT_DATA_DIR: dataDir,
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_PLAYGROUND_PORT: '0',
    });
    launched.push(second);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(
      new RegExp(`already running on ${dataDir} \\(launcher pid ${first.launcher.child.pid}`),
    );

    // Four tabs, one job each.
    const sessions = [1, 2, 3, 4].map(() => `tab-${randomUUID()}`);
    for (const [n, session] of sessions.entries()) {
      const sent = await playgroundPost(first.base, session, '/api/command', {
        text: `/video a red ball bouncing on a white background --quality low --seed ${n}`,
        requestId: randomUUID(),
      });
      expect(sent.status).toBe(202);
    }
    const old = await stackRecord(dataDir);
    expect(old?.redis?.pid).toBeDefined();
    first.launcher.child.kill('SIGKILL');
    // The children see the launcher die and stop themselves; Redis is ended by the next start.
    const children = old?.children.map((c) => c.pid) ?? [];
    await until(
      'the old children to end',
      () => children.filter(isAlive),
      (alive) => alive.length === 0,
      20_000,
    );

    const started = Date.now();
    const next = await stack(dataDir, { CLIPBOT_USER_MAX_ACTIVE: '4' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(isAlive(old?.redis?.pid ?? 0)).toBe(false);
    expect(await redisServersOn(dataDir)).toHaveLength(1);
    expect(next.launcher.output()).toMatch(/ending a process the previous clipbot left running/);
    const status = spawnSync(process.execPath, ['bin/clipbot.mjs', 'status'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, CLIPBOT_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(status.stdout).toMatch(/worker\s+running \(pid \d+\)/);
    expect(status.stdout).toMatch(/bot-playground\s+running/);
    expect(status.stdout).toMatch(/workers\s+1 alive/);
    expect(status.status).toBe(0);

    const everyone = async () => (await Promise.all(sessions.map((s) => finals(next.base, s)))).flat();
    const answered = await until('every reply', everyone, (f) => f.length === 4, 60_000);
    expect(answered.map((m) => m.reply?.kind)).toEqual(['done', 'done', 'done', 'done']);
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate, were there one, would show now
    expect(await everyone()).toHaveLength(4);

    next.launcher.child.kill('SIGINT');
    expect(await next.launcher.exited).toBe(0);
    expect(await stackRecord(dataDir)).toBeUndefined();
    expect(await redisServersOn(dataDir)).toEqual([]);
  }, 240_000);

  it('a worker killed ten times in a row keeps being restarted; while it is down, health and /video say so', async () => {
    const dataDir = await tempDir();
    const { launcher, base, healthUrl } = await stack(dataDir, {
      CLIPBOT_RESTART_DELAY_MS: '100',
      CLIPBOT_RESTART_MAX_DELAY_MS: '8000',
    });
    const workerPid = async () =>
      (await stackRecord(dataDir))?.children.find((c) => c.name === 'worker')?.pid;
    let last: number | undefined;
    for (let kill = 1; kill <= 10; kill++) {
      const pid = await until(
        `worker ${kill}`,
        workerPid,
        (p) => p !== undefined && p !== last && isAlive(p),
        30_000,
      );
      process.kill(pid as number, 'SIGKILL');
      last = pid;
    }
    // The tenth restart waits 8 s: long enough for the worker's heartbeat to lapse.
    const health = await until(
      'health to say no worker',
      async () => {
        const response = await fetch(healthUrl);
        return { status: response.status, body: (await response.json()) as { workers: number } };
      },
      (h) => h.body.workers === 0,
      10_000,
    );
    expect(health.status).toBe(503);
    const session = `tab-${randomUUID()}`;
    await playgroundPost(base, session, '/api/command', {
      text: '/video a blue square slides to the left --quality low',
      requestId: randomUUID(),
    });
    const [queued] = await until(
      'the queued reply',
      async () => (await playgroundSnapshot(base, session)).filter((m) => m.author === 'bot'),
      (m) => m.length > 0,
    );
    expect(queued?.reply).toMatchObject({ kind: 'queued', noWorker: true });
    expect(launcher.output().match(/worker exited; restarting it/g)?.length).toBeGreaterThanOrEqual(10);
    // It comes back by itself and makes the clip.
    await until(
      'the clip',
      () => finals(base, session),
      (f) => f[0]?.reply?.kind === 'done',
      60_000,
    );
    expect((await fetch(healthUrl)).status).toBe(200);
    const metrics = await (await fetch(healthUrl.replace('/healthz', '/metrics'))).text();
    const value = (line: RegExp) => Number(metrics.match(line)?.[1] ?? Number.NaN);
    expect(
      value(/^clipbot_replies_total\{platform="playground",kind="queued"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(/^clipbot_deliveries_total\{platform="playground",result="delivered"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(/^clipbot_first_reply_seconds_count\{platform="playground"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/^clipbot_workers_alive (\d+)/m)).toBe(1);
  }, 240_000);

  it('a private Redis killed mid-run is back within 5 s, every accepted job still ends once, and Ctrl-C during an outage stops in time', async () => {
    const dataDir = await tempDir();
    const { launcher, base } = await stack(dataDir, {
      CLIPBOT_USER_MAX_ACTIVE: '4',
      CLIPBOT_SHUTDOWN_GRACE_MS: '5000',
    });
    const sessions = [1, 2, 3, 4].map(() => `tab-${randomUUID()}`);
    for (const [n, session] of sessions.entries()) {
      await playgroundPost(base, session, '/api/command', {
        text: `/video a green star rises at night --quality low --seed ${n + 20}`,
        requestId: randomUUID(),
      });
    }
    // Every job accepted (queued or further) before the kill must end with its one reply.
    const bot = async () =>
      (await Promise.all(sessions.map((s) => playgroundSnapshot(base, s))))
        .flat()
        .filter((m) => m.author === 'bot');
    await until('four accepted jobs', bot, (m) => m.length === 4);
    const before = (await stackRecord(dataDir))?.redis;
    const logFrom = launcher.output().length;
    process.kill(before?.pid as number, 'SIGKILL');
    // A request while it is down is answered (accepted or refused) within 5 s, never left hanging.
    const asked = Date.now();
    const during = await playgroundPost(base, `tab-${randomUUID()}`, '/api/command', {
      text: '/video a red ball rises --quality low',
      requestId: randomUUID(),
    }).catch((error: Error) => error);
    expect(Date.now() - asked).toBeLessThan(5_000);
    // Accepted (Redis came back in time) or refused with a clear reason.
    expect(during).toBeInstanceOf(Response);
    const answer = during as Response;
    expect([202, 503]).toContain(answer.status);
    if (answer.status === 503) expect(await answer.text()).toMatch(/unavailable for a moment/);
    const after = await until(
      'Redis back',
      async () => (await stackRecord(dataDir))?.redis,
      (r) => r !== undefined && r.pid !== before?.pid && isAlive(r.pid),
      5_000,
    );
    expect(after?.port).toBe(before?.port);
    const everyone = async () => (await Promise.all(sessions.map((s) => finals(base, s)))).flat();
    const answered = await until('every reply', everyone, (f) => f.length === 4, 60_000);
    expect(answered.map((m) => m.reply?.kind)).toEqual(['done', 'done', 'done', 'done']);
    const about = launcher
      .output()
      .slice(logFrom)
      .split('\n')
      .filter((line) => /redis|ECONNREFUSED|connection/i.test(line));
    expect(about.length).toBeLessThanOrEqual(20);

    // Ctrl-C while Redis is down again: the stack still stops within the grace time.
    process.kill(after?.pid as number, 'SIGKILL');
    const stopping = Date.now();
    launcher.child.kill('SIGINT');
    expect(await launcher.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(25_000);
    expect(await redisServersOn(dataDir)).toEqual([]);
  }, 240_000);
});
