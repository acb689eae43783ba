import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt's logger interface over the process's pino logger (tokens never reach either). */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ lib: 'bolt' });
  let level = LogLevel.INFO;
  let name = 'bolt';
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args) => log.debug({ name }, line(args)),
    info: (...args) => log.info({ name }, line(args)),
    warn: (...args) => log.warn({ name }, line(args)),
    error: (...args) => log.error({ name }, line(args)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
