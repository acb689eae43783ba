import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_ADMISSION_LIMITS } from '../admission/rate-limits/admission-limits.ts';
import { PLATFORMS } from '../core/index.ts';
import { MIN_DASHBOARD_TOKEN_LENGTH } from '../dashboard/token-length.ts';
import { providerListSchema } from '../model/provider-list.ts';
import { DEFAULT_JOB_RETENTION } from '../queue/job-retention.ts';

/** The bundled model, found from this file rather than the cwd so `clipbot` works from any folder. */
export const BUNDLED_MANIFEST_PATH = fileURLToPath(
  new URL('../../models/shapes-v1/model.json', import.meta.url),
);

/** The project's data folder (local Redis files), found from this file like the bundled model. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));

export const HOUR_MS = 3_600_000;

/** Slack's Web API. */
export const SLACK_API_BASE = 'https://slack.com/api/';

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
export const envSchema = z.object({
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
  COMFYUI_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "The ComfyUI server of a model of kind comfyui (models/wan2.2-ti2v-5b); default: the model.json's, http://127.0.0.1:8188.",
    ),
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
  CLIPBOT_BATCH_MAX: positive
    .pipe(z.number().int().max(16))
    .optional()
    .describe(
      'Most compatible jobs the worker runs in one model call (micro-batching); default: 4 on a GPU, 1 (off) on the CPU.',
    ),
  CLIPBOT_BATCH_WAIT_MS: wholeNumber
    .pipe(z.number().max(2_000))
    .default(200)
    .describe('How long a job may wait, at most, for jobs on their way to fill its batch, in ms.'),
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
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'a Slack bot token starts with xoxb-')
    .optional()
    .describe(
      'The Slack bot token of one workspace (OAuth & Permissions); with SLACK_SIGNING_SECRET it runs the Slack bot process.',
    ),
  SLACK_SIGNING_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe("The Slack app's signing secret (Basic Information): requests not signed with it are refused."),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'a Slack app-level token starts with xapp-')
    .optional()
    .describe(
      'A Slack app-level token (connections:write): Socket Mode, no public URL needed; unset: the HTTP receiver.',
    ),
  SLACK_API_URL: z
    .url()
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .default(SLACK_API_BASE)
    .describe("Slack's Web API base URL (a proxy, or a local fake in tests)."),
  CLIPBOT_SLACK_PORT: wholeNumber
    .pipe(z.number().max(65535))
    .default(3000)
    .describe(
      "Port of the Slack bot's HTTP receiver (/slack/events, /slack/install) when not in Socket Mode.",
    ),
  CLIPBOT_SLACK_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'Address the Slack HTTP receiver listens on; Slack reaches it through an HTTPS proxy in front.',
    ),
  SLACK_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe("Many workspaces: the Slack app's client id (Basic Information), for the OAuth installer."),
  SLACK_CLIENT_SECRET: z
    .string()
    .min(8)
    .optional()
    .describe("Many workspaces: the Slack app's client secret."),
  SLACK_STATE_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Many workspaces: a secret of your own that signs the OAuth state (openssl rand -hex 16).'),
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
  CLIPBOT_SCHEDULES_PER_TENANT: positive
    .pipe(z.number().max(1_000))
    .default(25)
    .describe('Most scheduled clips (/video-schedule) one server or workspace may have.'),
  CLIPBOT_SCHEDULE_MIN_INTERVAL_S: positive
    .default(900)
    .describe('Shortest time between two runs of one schedule, in seconds (900: every 15 minutes at most).'),
  CLIPBOT_SCHEDULE_CATCH_UP_S: wholeNumber
    .pipe(z.number().max(7 * 24 * 3_600))
    .default(3_600)
    .describe(
      'A scheduled run missed while clipbot was down runs once at start-up when it is at most this late, in seconds; later ones are skipped and logged.',
    ),
  CLIPBOT_WARM_PROMPTS: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Path to a JSON file of popular prompts the worker renders ahead while idle ({"global": [...], "tenants": {"discord:<id>": [...]}}); unset: no warming.',
    ),
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

/** The environment as parsed: each variable checked and given its default. */
export type Env = z.infer<typeof envSchema>;
