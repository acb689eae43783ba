import { z } from 'zod';

/** Why the configuration could not be loaded. */
export enum ConfigErrorCode {
  Invalid = 'CONFIG_INVALID',
}

/** The environment did not parse; the message lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = ConfigErrorCode.Invalid;
}

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every environment variable clipbot reads: name, parser, default and description in one place.
 * Nothing else reads process.env; values reach modules through their constructors and options.
 */
const envSchema = z.object({
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Lowest pino log level written.'),
  LOG_PRETTY: flag.default(false).describe('Human-readable logs through pino-pretty (development).'),
  FFMPEG_PATH: z.string().min(1).optional().describe('ffmpeg binary; default: ffmpeg on PATH.'),
  FFPROBE_PATH: z.string().min(1).optional().describe('ffprobe binary; default: ffprobe on PATH.'),
});

/** Typed configuration, grouped by the module that takes it. */
export interface Config {
  log: { level: z.infer<typeof envSchema>['LOG_LEVEL']; pretty: boolean };
  media: { ffmpegPath?: string; ffprobePath?: string };
}

/** Each variable with its description, for `--help` output and docs. */
export function describeConfig(): { name: string; description: string }[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
  }));
}

/**
 * Parses the environment once at start-up. Empty strings count as unset. Throws ConfigError naming
 * each invalid variable, so a bad deployment fails at once with a clear message.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`invalid environment:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const e = parsed.data;
  return {
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    media: { ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH },
  };
}
