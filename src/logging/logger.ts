import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { redactUrl } from './redact-url.ts';
import { errorSerializer } from './safe-error.ts';

/**
 * Keys whose values never reach a log line: platform tokens and secrets at the top level or one
 * object down (`{ discord: { botToken } }`), HTTP authorization and cookie headers, and the
 * interaction token in a reply's handle.
 */
export const REDACT_PATHS: readonly string[] = [
  ...['token', 'botToken', 'appToken', 'signingSecret', 'clientSecret'].flatMap((key) => [key, `*.${key}`]),
  ...['authorization', 'cookie'].flatMap((header) => [`headers.${header}`, `*.headers.${header}`]),
  // A reply's handle holds the interaction token of Discord replies: `{ target: { handle } }`.
  ...['handle.token', '*.handle.token', '*.*.handle.token'],
];

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written (default 'info'). */
  level?: LevelWithSilent;
  /** Human-readable, coloured lines through the pino-pretty transport (for development). */
  pretty?: boolean;
  /** Where JSON lines go when not pretty (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The process's one root logger. Give each job, platform or tenant a child:
 * `logger.child({ jobId, platform, tenant })`. Whatever a line logs as `path` or `url` loses its
 * query string and any password, and an `err` loses a Redis command's arguments.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    serializers: { err: errorSerializer, path: redactUrl, url: redactUrl },
  };
  if (options.pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
