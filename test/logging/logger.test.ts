import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.ts';

function capture(): { lines: Record<string, unknown>[]; write: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('never writes tokens, secrets or authorization headers, at the top level or one object down', () => {
    const out = capture();
    const logger = createLogger({ destination: out });
    logger.info(
      {
        botToken: 'xoxb-secret',
        discord: { token: 'discord-secret', applicationId: '123' },
        slack: { signingSecret: 'signing-secret', appToken: 'xapp-secret' },
        headers: { authorization: 'Bot abc', accept: 'application/json' },
        req: { headers: { authorization: 'Bearer def', cookie: 'session=1' } },
      },
      'starting',
    );
    const text = JSON.stringify(out.lines);
    for (const secret of [
      'xoxb-secret',
      'discord-secret',
      'signing-secret',
      'xapp-secret',
      'Bot abc',
      'def',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines[0]).toMatchObject({
      msg: 'starting',
      botToken: '[redacted]',
      discord: { token: '[redacted]', applicationId: '123' },
      headers: { authorization: '[redacted]', accept: 'application/json' },
    });
  });

  it('child loggers carry their bindings and keep redacting', () => {
    const out = capture();
    const job = createLogger({ destination: out }).child({ jobId: 'j1', platform: 'discord', tenant: 'g1' });
    job.warn({ interaction: { token: 'interaction-secret' } }, 'slow');
    expect(out.lines[0]).toMatchObject({ jobId: 'j1', platform: 'discord', tenant: 'g1' });
    expect(out.lines[0]).toMatchObject({ interaction: { token: '[redacted]' } });
  });

  it("never logs the interaction token in a reply's handle, however deep the target is", () => {
    const out = capture();
    const handle = { applicationId: '1', channelId: '2', token: 'interaction-secret' };
    createLogger({ destination: out }).warn(
      { handle, target: { handle }, job: { target: { handle } } },
      'render failed',
    );
    expect(JSON.stringify(out.lines)).not.toContain('interaction-secret');
    expect(out.lines[0]).toMatchObject({ target: { handle: { token: '[redacted]', channelId: '2' } } });
  });

  it('drops lines below the configured level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', destination: out });
    logger.info('hidden');
    logger.error('shown');
    expect(out.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('with pretty on, builds the logger on the pino-pretty transport, which must be installed', () => {
    const logger = createLogger({ pretty: true, level: 'debug' });
    expect(logger.level).toBe('debug');
    logger.flush();
  });
});
