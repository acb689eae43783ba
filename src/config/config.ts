import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type AdmissionLimits, DEFAULT_ADMISSION_LIMITS } from '../admission/rate-limits/admission-limits.ts';
import { PLATFORMS, type Platform } from '../core/index.ts';
import { MIN_DASHBOARD_TOKEN_LENGTH } from '../dashboard/token-length.ts';
import { isLoopbackHost } from '../http/loopback-host.ts';
import { type ProviderName, providerListSchema } from '../model/provider-list.ts';
import { DEFAULT_JOB_RETENTION, type JobRetention } from '../queue/job-retention.ts';

/** Why the configuration could not be loaded. */
export enum ConfigErrorCode {
  Invalid = 'CONFIG_INVALID',
}

/** The environment did not parse; the message lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = ConfigErrorCode.Invalid;
}

/** The bundled model, found from this file rather than the cwd so `clipbot` works from any folder. */
export const BUNDLED_MANIFEST_PATH = fileURLToPath(
  new URL('../../models/shapes-v1/model.json', import.meta.url),
);

/** The project's data folder (local Redis files), found from this file like the bundled model. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));

const HOUR_MS = 3_600_000;

/** Discord's REST API without its version (discord.js adds /v10). */
export const DISCORD_API_BASE = 'https://discord.com/api';

/** A whole number written in decimal digits (no sign, exponent or fraction). */
const wholeNumber = z
  .string()
  .regex(/^\d+$/, 'expected a whole number such as 42')
  .transform(Number)
  .pipe(z.number().int().max(Number.MAX_SAFE_INTEGER));

const positive = wholeNumber.pipe(z.number().min(1).max(100_000));

/** Retention of finished jobs: at least a second (BullMQ counts seconds), at most 30 days. */
const keepMs = wholeNumber.pipe(
  z
    .number()
    .min(1_000)
    .max(30 * 24 * HOUR_MS),
);
/** At least 10: a job that just ended is still read by its end handler. */
const keepCount = wholeNumber.pipe(z.number().min(10).max(1_000_000));

/** A comma list, blanks ignored. */
const commaList = z.string().transform((list) =>
  list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** A host name or address as a browser writes it in a URL, with or without a port. */
const hostName = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'expected a host name, or name:port');

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
  CLIPBOT_MODEL: z
    .string()
    .min(1)
    .default(BUNDLED_MANIFEST_PATH)
    .describe('Path to the model.json manifest; default: the bundled models/shapes-v1/model.json.'),
  CLIPBOT_PROVIDERS: providerListSchema
    .default(['cpu'])
    .describe('Comma list of onnxruntime execution providers to try in order (cuda, webgpu, cpu).'),
  CLIPBOT_THREADS: wholeNumber
    .default(0)
    .describe('Threads for the CPU execution provider; 0 lets onnxruntime choose.'),
  CLIPBOT_MAX_UPLOAD_BYTES: wholeNumber
    .pipe(z.number().positive())
    .default(10 * 1024 * 1024)
    .describe('Byte budget for an MP4 reply (default 10 MiB, the Discord upload limit).'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL')
    .optional()
    .describe('Redis for queues and limits; default: start a private redis-server under CLIPBOT_DATA_DIR.'),
  CLIPBOT_DATA_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_DATA_DIR)
    .describe('Folder for local state (the private Redis append-only file); default: data/ in the package.'),
  CLIPBOT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('clipbot')
    .describe('Prefix of every Redis key and BullMQ queue, so several deployments can share a Redis.'),
  CLIPBOT_WORKER_PORT: wholeNumber
    .pipe(z.number().max(65535))
    .default(9465)
    .describe('Port of the worker /healthz and /metrics (0: any free port).'),
  CLIPBOT_WORKER_LOCK_MS: wholeNumber
    .pipe(z.number().min(1_000).max(600_000))
    .default(30_000)
    .describe('Job lock of a worker, in ms: a job whose worker died is rerun after about this long.'),
  CLIPBOT_SHUTDOWN_GRACE_MS: wholeNumber
    .pipe(z.number().max(3_600_000))
    .default(90_000)
    .describe('On SIGTERM the worker finishes its job for up to this long, then hands it back to the queue.'),
  CLIPBOT_MEMORY_BUDGET_MB: positive
    .optional()
    .describe(
      'Memory the worker may use for one job, in MiB; default: the free RAM (GPU memory where known).',
    ),
  CLIPBOT_AUTO_TARGET_MS: wholeNumber
    .pipe(z.number().max(3_600_000))
    .default(5_000)
    .describe(
      'Quality auto takes the best tier expected to make a clip within this many ms on this machine.',
    ),
  CLIPBOT_BOT_PLATFORMS: z
    .string()
    .transform((list) => list.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(PLATFORMS)).min(1))
    .optional()
    .describe(
      'Platforms this bot process serves, comma list; default: every configured one (clipbot start runs one bot process per platform).',
    ),
  CLIPBOT_RESTART_DELAY_MS: wholeNumber
    .pipe(z.number().min(10).max(600_000))
    .default(1_000)
    .describe(
      'clipbot start restarts a dead worker or bot after this long, doubling for each death in a row.',
    ),
  CLIPBOT_RESTART_MAX_DELAY_MS: wholeNumber
    .pipe(z.number().min(10).max(3_600_000))
    .default(30_000)
    .describe('The longest wait before a restart; clipbot start never stops restarting.'),
  CLIPBOT_BOT_PORT: wholeNumber
    .pipe(z.number().max(65535))
    .default(9466)
    .describe(
      "Port of a bot process's /healthz and /metrics (0: any free port); clipbot start gives its n-th bot process this port + n.",
    ),
  CLIPBOT_BLOCKLIST: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((term) => term.trim())
        .filter((term) => term.length > 0),
    )
    .default([])
    .describe('Comma list of words or phrases refused in every prompt, on top of the built-in list.'),
  DISCORD_TOKEN: z
    .string()
    .min(20)
    .optional()
    .describe('The Discord bot token; set, it runs the Discord bot process (Bot page of the application).'),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'a Discord id is 17 to 20 digits')
    .optional()
    .describe(
      'The Discord application id, for the invite link and command registration; default: asked of Discord.',
    ),
  DISCORD_API_URL: z
    .url()
    .transform((url) => url.replace(/\/+$/, '').replace(/\/v\d+$/, ''))
    .default(DISCORD_API_BASE)
    .describe('Discord REST base URL (a REST proxy, or a local fake in tests); a trailing /v10 is allowed.'),
  CLIPBOT_PLAYGROUND: flag.default(true).describe('Serve the web playground from the bot process.'),
  CLIPBOT_PLAYGROUND_PORT: wholeNumber
    .pipe(z.number().max(65535))
    .default(8787)
    .describe('Port of the web playground (0: any free port).'),
  CLIPBOT_PLAYGROUND_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the playground listens on; 127.0.0.1 keeps it on this machine.'),
  CLIPBOT_PLAYGROUND_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe('Shared access token for the playground when it is exposed (open /?token=… once).'),
  CLIPBOT_PLAYGROUND_HOSTS: commaList
    .pipe(z.array(hostName))
    .default([])
    .describe(
      "Comma list of host names (name, or name:port) the playground answers to, against DNS rebinding; default: its host and the loopback names at its port (on 0.0.0.0 also this machine's names).",
    ),
  CLIPBOT_PLAYGROUND_TRUSTED_PROXIES: commaList
    .pipe(z.array(z.union([z.ipv4(), z.ipv6()])))
    .default([])
    .describe(
      'Comma list of proxy IP addresses whose X-Forwarded-For names the playground client; default: none.',
    ),
  CLIPBOT_TENANT_CLIPS_PER_HOUR: positive
    .default(DEFAULT_ADMISSION_LIMITS.tenantClips)
    .describe('Clips one server or workspace may start per hour (refilled continuously).'),
  CLIPBOT_USER_CLIPS_PER_HOUR: positive
    .default(DEFAULT_ADMISSION_LIMITS.userClips)
    .describe('Clips one user may start per hour (refilled continuously).'),
  CLIPBOT_USER_MAX_ACTIVE: positive
    .default(DEFAULT_ADMISSION_LIMITS.maxActivePerUser)
    .describe('Jobs one user may have queued or running at once.'),
  CLIPBOT_TENANT_MAX_WAITING: positive
    .default(DEFAULT_ADMISSION_LIMITS.maxWaitingPerTenant)
    .describe('Jobs one server or workspace may have waiting in the queue.'),
  CLIPBOT_MAX_WAITING: positive
    .default(DEFAULT_ADMISSION_LIMITS.maxWaitingGlobal)
    .describe('Jobs all servers and workspaces together may have waiting in the queue.'),
  CLIPBOT_SHARES_PER_CLIP: positive
    .pipe(z.number().max(1_000))
    .default(DEFAULT_ADMISSION_LIMITS.sharesPerClip)
    .describe(
      'A clip answered from the cache, or shared with an identical request in flight, costs 1/this of a clip of the hourly limits.',
    ),
  CLIPBOT_KEEP_COMPLETED_JOBS_MS: keepMs
    .default(DEFAULT_JOB_RETENTION.completed.ageMs)
    .describe('How long a completed generate or deliver job stays in Redis (for the dashboard), in ms.'),
  CLIPBOT_KEEP_COMPLETED_JOBS: keepCount
    .default(DEFAULT_JOB_RETENTION.completed.count)
    .describe('Most completed jobs kept per queue (the newest); older ones are removed.'),
  CLIPBOT_KEEP_FAILED_JOBS_MS: keepMs
    .default(DEFAULT_JOB_RETENTION.failed.ageMs)
    .describe('How long a failed generate or deliver job stays in Redis (for the dashboard), in ms.'),
  CLIPBOT_KEEP_FAILED_JOBS: keepCount
    .default(DEFAULT_JOB_RETENTION.failed.count)
    .describe('Most failed jobs kept per queue (the newest); older ones are removed.'),
  CLIPBOT_DASHBOARD_PORT: wholeNumber
    .pipe(z.number().min(1).max(65535))
    .optional()
    .describe('Port of the Bull Board queue dashboard for operators (on 127.0.0.1); unset: no dashboard.'),
  CLIPBOT_DASHBOARD_TOKEN: z
    .string()
    .min(MIN_DASHBOARD_TOKEN_LENGTH, `expected at least ${MIN_DASHBOARD_TOKEN_LENGTH} characters`)
    .optional()
    .describe(
      `Secret that opens the dashboard (${MIN_DASHBOARD_TOKEN_LENGTH}+ characters, e.g. openssl rand -hex 24); required with CLIPBOT_DASHBOARD_PORT.`,
    ),
});

/** Typed configuration, grouped by the module that takes it. */
export interface Config {
  log: { level: z.infer<typeof envSchema>['LOG_LEVEL']; pretty: boolean };
  /** How the worker and CLI load the model: manifest (absolute), providers in order, CPU threads. */
  model: { manifestPath: string; providers: ProviderName[]; threads: number };
  /** The ffmpeg binary (undefined: look on PATH) and the MP4 byte budget. */
  media: { ffmpegPath?: string; maxBytes: number };
  /** Redis URL (undefined: start a private redis-server) and the absolute data folder. */
  redis: { url?: string; dataDir: string };
  /** Admission rate limits and queue caps, and the operator's blocklist additions. */
  admission: { limits: AdmissionLimits; blocklist: string[] };
  /** How long finished generate and deliver jobs stay in Redis. */
  jobRetention: JobRetention;
  /** The worker: metrics port, tier choice (memory budget, auto's time target), job lock, shutdown grace. */
  worker: {
    port: number;
    memoryBudgetMB?: number;
    autoTargetMs: number;
    lockMs: number;
    shutdownGraceMs: number;
  };
  /** Prefix of Redis keys and queues. */
  keyPrefix: string;
  /** The web playground adapter: on unless disabled, where it listens, its optional token. */
  playground: {
    enabled: boolean;
    port: number;
    host: string;
    token?: string;
    /** Host names the playground answers to (empty: its host and the loopback names). */
    allowedHosts: string[];
    /** Proxies whose X-Forwarded-For names the client (for its per-address limits). */
    trustedProxies: string[];
  };
  /** The Discord bot: set when DISCORD_TOKEN is. `apiUrl` is the REST base without its version. */
  discord?: { token: string; applicationId?: string; apiUrl: string };
  /** The operators' Bull Board dashboard: off when port is undefined; token is set whenever port is. */
  dashboard: { port?: number; token?: string };
  /** This bot process: the platforms it serves (undefined: every configured one), its health port. */
  bot: { platforms?: Platform[]; port: number };
  /** clipbot start's supervision: the first and the longest delay before restarting a child. */
  restart: { delayMs: number; maxDelayMs: number };
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
  if (e.CLIPBOT_DASHBOARD_PORT !== undefined && e.CLIPBOT_DASHBOARD_TOKEN === undefined) {
    throw new ConfigError(
      'invalid environment: CLIPBOT_DASHBOARD_TOKEN is required when CLIPBOT_DASHBOARD_PORT is set ' +
        `(${MIN_DASHBOARD_TOKEN_LENGTH}+ characters; the dashboard never runs without one)`,
    );
  }
  if (e.CLIPBOT_PLAYGROUND && !isLoopbackHost(e.CLIPBOT_PLAYGROUND_HOST) && !e.CLIPBOT_PLAYGROUND_TOKEN) {
    throw new ConfigError(
      `invalid environment: CLIPBOT_PLAYGROUND_HOST=${e.CLIPBOT_PLAYGROUND_HOST} opens the playground to the ` +
        'network, so CLIPBOT_PLAYGROUND_TOKEN is required (16+ characters; openssl rand -hex 16 makes one), ' +
        'or keep it on 127.0.0.1',
    );
  }
  return {
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    model: {
      manifestPath: resolve(e.CLIPBOT_MODEL),
      providers: e.CLIPBOT_PROVIDERS,
      threads: e.CLIPBOT_THREADS,
    },
    media: { ffmpegPath: e.FFMPEG_PATH, maxBytes: e.CLIPBOT_MAX_UPLOAD_BYTES },
    redis: { url: e.REDIS_URL, dataDir: resolve(e.CLIPBOT_DATA_DIR) },
    worker: {
      port: e.CLIPBOT_WORKER_PORT,
      memoryBudgetMB: e.CLIPBOT_MEMORY_BUDGET_MB,
      autoTargetMs: e.CLIPBOT_AUTO_TARGET_MS,
      lockMs: e.CLIPBOT_WORKER_LOCK_MS,
      shutdownGraceMs: e.CLIPBOT_SHUTDOWN_GRACE_MS,
    },
    keyPrefix: e.CLIPBOT_KEY_PREFIX,
    ...(e.DISCORD_TOKEN
      ? {
          discord: {
            token: e.DISCORD_TOKEN,
            apiUrl: e.DISCORD_API_URL,
            ...(e.DISCORD_APPLICATION_ID ? { applicationId: e.DISCORD_APPLICATION_ID } : {}),
          },
        }
      : {}),
    dashboard: { port: e.CLIPBOT_DASHBOARD_PORT, token: e.CLIPBOT_DASHBOARD_TOKEN },
    bot: { platforms: e.CLIPBOT_BOT_PLATFORMS, port: e.CLIPBOT_BOT_PORT },
    restart: {
      delayMs: e.CLIPBOT_RESTART_DELAY_MS,
      maxDelayMs: Math.max(e.CLIPBOT_RESTART_DELAY_MS, e.CLIPBOT_RESTART_MAX_DELAY_MS),
    },
    playground: {
      enabled: e.CLIPBOT_PLAYGROUND,
      port: e.CLIPBOT_PLAYGROUND_PORT,
      host: e.CLIPBOT_PLAYGROUND_HOST,
      token: e.CLIPBOT_PLAYGROUND_TOKEN,
      allowedHosts: e.CLIPBOT_PLAYGROUND_HOSTS,
      trustedProxies: e.CLIPBOT_PLAYGROUND_TRUSTED_PROXIES,
    },
    admission: {
      blocklist: e.CLIPBOT_BLOCKLIST,
      limits: {
        ...DEFAULT_ADMISSION_LIMITS,
        tenantClips: e.CLIPBOT_TENANT_CLIPS_PER_HOUR,
        tenantIntervalMs: HOUR_MS,
        userClips: e.CLIPBOT_USER_CLIPS_PER_HOUR,
        userIntervalMs: HOUR_MS,
        maxActivePerUser: e.CLIPBOT_USER_MAX_ACTIVE,
        maxWaitingPerTenant: e.CLIPBOT_TENANT_MAX_WAITING,
        maxWaitingGlobal: e.CLIPBOT_MAX_WAITING,
        sharesPerClip: e.CLIPBOT_SHARES_PER_CLIP,
      },
    },
    jobRetention: {
      completed: { ageMs: e.CLIPBOT_KEEP_COMPLETED_JOBS_MS, count: e.CLIPBOT_KEEP_COMPLETED_JOBS },
      failed: { ageMs: e.CLIPBOT_KEEP_FAILED_JOBS_MS, count: e.CLIPBOT_KEEP_FAILED_JOBS },
    },
  };
}
