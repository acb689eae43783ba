import { EventEmitter } from 'node:events';
import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl, safeError } from '../../src/logging/index.ts';
import { logQueueErrors, watchConnection } from '../../src/redis/index.ts';

/** ioredis's error for a wrong password: its command carries the password as an argument. */
function wrongPassword(password: string): Error {
  const error: Error = new ReplyError('WRONGPASS invalid username-password pair or user is disabled.');
  Object.assign(error, { command: { name: 'auth', args: [password] } });
  return error;
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { lines, logger, text: () => JSON.stringify(lines) };
}

describe('errors reduced before logging', () => {
  it("keeps an ioredis error's name, message, code and command name, and drops its arguments and stack", () => {
    expect(safeError(wrongPassword('hunter2-password'))).toEqual({
      name: 'ReplyError',
      message: 'WRONGPASS invalid username-password pair or user is disabled.',
      command: 'auth',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(safeError(refused)).toEqual({
      name: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
      code: 'ECONNREFUSED',
    });
    expect(safeError('plain text')).toEqual({ name: 'Error', message: 'plain text' });
  });

  it('when an error is logged whole as err, then its Redis command arguments are left out but its stack stays', () => {
    const out = capture();
    out.logger.error({ err: wrongPassword('hunter2-password') }, 'request failed');
    expect(out.text()).not.toContain('hunter2-password');
    expect(out.lines[0]?.err).toMatchObject({ type: 'ReplyError', command: 'auth' });
    expect(out.lines[0]?.err).toMatchObject({ stack: expect.stringMatching(/^ReplyError: WRONGPASS/) });
  });
});

describe('URLs and paths in log lines', () => {
  it('lose their query string, fragment and any password', () => {
    expect(redactUrl('/api/events?session=abc&token=s3cret-token')).toBe('/api/events?[redacted]');
    expect(redactUrl('/clips/x.mp4#t=3')).toBe('/clips/x.mp4');
    expect(redactUrl('redis://:s3cret-pass@127.0.0.1:6379/0')).toBe('redis://[redacted]@127.0.0.1:6379/0');
    expect(redactUrl('https://user:pw@example.com/a?b=c')).toBe(
      'https://[redacted]@example.com/a?[redacted]',
    );
    expect(redactUrl('/plain/path')).toBe('/plain/path');
    expect(redactUrl(42)).toBe(42);
  });

  it('whatever a line logs as path or url is redacted by the logger itself', () => {
    const out = capture();
    out.logger
      .child({ platform: 'playground' })
      .warn(
        { path: '/api/command?token=s3cret-token', url: 'redis://:s3cret-pass@host:1' },
        'request failed',
      );
    expect(out.text()).not.toMatch(/s3cret/);
    expect(out.lines[0]).toMatchObject({ path: '/api/command?[redacted]', url: 'redis://[redacted]@host:1' });
  });
});

/** A stand-in for an ioredis client: its status and events. */
class FakeConnection extends EventEmitter {
  status = 'connecting';
}

describe('connection errors, logged once per change of state', () => {
  it('when Redis stays down, then one line at first, a reminder a minute later, and one line when it is back', () => {
    const out = capture();
    let now = 0;
    const connection = new FakeConnection();
    watchConnection(connection as never, out.logger, { fields: { role: 'worker' }, now: () => now });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    for (; now < 59_000; now += 500) connection.emit('error', refused);
    expect(out.lines.map((l) => l.msg)).toEqual(['redis unreachable; retrying (logged again once a minute)']);
    for (; now <= 61_000; now += 500) connection.emit('error', refused);
    expect(out.lines.map((l) => l.msg)).toEqual([
      'redis unreachable; retrying (logged again once a minute)',
      'redis still unreachable',
    ]);
    expect(out.lines[1]).toMatchObject({ role: 'worker', downForMs: 60_000, failures: 121 });
    connection.status = 'ready';
    connection.emit('ready');
    expect(out.lines[2]).toMatchObject({ msg: 'redis reachable again', role: 'worker' });
    expect(out.lines[0]).toMatchObject({ error: { code: 'ECONNREFUSED' } });
    expect(out.text()).not.toMatch(/"stack"/);
  });

  it("a process's connections tell one story: one line when the first fails, one when the last is back", () => {
    const out = capture();
    const [a, b, c] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (const connection of [a, b, c]) watchConnection(connection as never, out.logger);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 20; i++) for (const connection of [a, b, c]) connection.emit('error', refused);
    for (const connection of [a, b]) {
      connection.status = 'ready';
      connection.emit('ready');
    }
    expect(out.lines.map((l) => l.msg)).toEqual(['redis unreachable; retrying (logged again once a minute)']);
    c.status = 'ready';
    c.emit('ready');
    expect(out.lines.map((l) => l.msg)).toEqual([
      'redis unreachable; retrying (logged again once a minute)',
      'redis reachable again',
    ]);
    expect(out.lines[1]).toMatchObject({ failures: 60 });
  });

  it('when the password is wrong, then the first failure is logged without the password, and retries are not', () => {
    const out = capture();
    const connection = new FakeConnection();
    watchConnection(connection as never, out.logger);
    for (let i = 0; i < 200; i++) connection.emit('error', wrongPassword('hunter2-password'));
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({
      error: { message: expect.stringMatching(/^WRONGPASS/), command: 'auth' },
    });
    expect(out.text()).not.toContain('hunter2-password');
  });

  it("a BullMQ object's error is one line without a stack, and the same error again within a minute is not logged", () => {
    const out = capture();
    let now = 0;
    const queue = new EventEmitter();
    logQueueErrors(queue, out.logger, 'queue generate', { now: () => now });
    for (let i = 0; i < 50; i++) queue.emit('error', new Error('Missing lock for job 7. moveToFinished'));
    now = 61_000;
    queue.emit('error', new Error('Missing lock for job 7. moveToFinished'));
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatchObject({ level: 40, msg: 'queue error', source: 'queue generate' });
    expect(out.lines[1]).toMatchObject({ repeatsSinceLastLine: 49 });
    expect(out.text()).not.toMatch(/"stack"/);
  });

  it('a BullMQ connection error goes to debug: the connection itself reports the outage', () => {
    const out = capture();
    const queue = new EventEmitter();
    logQueueErrors(queue, out.logger, 'queue generate');
    queue.emit('error', wrongPassword('hunter2-password'));
    expect(out.lines).toEqual([expect.objectContaining({ level: 20, msg: 'queue connection error' })]);
    expect(out.text()).not.toContain('hunter2-password');
  });
});
