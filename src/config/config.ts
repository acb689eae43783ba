import { resolve } from 'node:path';
import { z } from 'zod';
import { type AdmissionLimits, DEFAULT_ADMISSION_LIMITS } from '../admission/rate-limits/admission-limits.ts';
import type { Platform } from '../core/index.ts';
import { MIN_DASHBOARD_TOKEN_LENGTH } from '../dashboard/token-length.ts';
import { isLoopbackHost } from '../http/loopback-host.ts';
import type { ProviderName } from '../model/provider-list.ts';
import type { JobRetention } from '../queue/job-retention.ts';
import { ConfigError } from './config-error.ts';
import { envSchema, HOUR_MS } from './env-schema.ts';
import { type SlackConfig, slackConfig } from './slack-config.ts';
import { loadWarmPrompts, type WarmPrompt } from './warm-prompts.ts';

export { ConfigError, ConfigErrorCode } from './config-error.ts';

export {
  BUNDLED_MANIFEST_PATH,
  DEFAULT_DATA_DIR,
  DISCORD_API_BASE,
  SLACK_API_BASE,
} from './env-schema.ts';

/** Typed configuration, grouped by the module that takes it. */
export interface Config {
  log: { level: z.infer<typeof envSchema>['LOG_LEVEL']; pretty: boolean };
  /** How the worker and CLI load the model: manifest (absolute), providers in order, CPU threads. */
  model: { manifestPath: string; providers: ProviderName[]; threads: number; comfyUrl?: string };
  /** The ffmpeg binary (undefined: look on PATH) and the MP4 byte budget. */
  media: { ffmpegPath?: string; maxBytes: number };
  /** Redis URL (undefined: start a private redis-server) and the absolute data folder. */
  redis: { url?: string; dataDir: string };
  /** Admission rate limits and queue caps, and the operator's blocklist additions. */
  admission: { limits: AdmissionLimits; blocklist: string[] };
  /** How long finished generate and deliver jobs stay in Redis. */
  jobRetention: JobRetention;
  /** Scheduled clips: how many a tenant may have, how often one may run, how late a missed run may still run. */
  schedules: { maxPerTenant: number; minGapMs: number; catchUpMs: number };
  /** The worker: metrics port, tier choice (memory budget, auto's time target), job lock, shutdown grace. */
  worker: {
    port: number;
    memoryBudgetMB?: number;
    autoTargetMs: number;
    lockMs: number;
    shutdownGraceMs: number;
    /** Micro-batching: the most jobs in one model call (unset: by provider) and the gathering wait. */
    batchMax?: number;
    batchWaitMs: number;
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
  /**
   * The Slack bot: set when its signing secret and a bot token (one workspace) or the OAuth trio
   * (many) are. `appToken`: Socket Mode. `apiUrl` ends in a slash.
   */
  slack?: SlackConfig;

  /** The operators' Bull Board dashboard: off when port is undefined; token is set whenever port is. */
  dashboard: { port?: number; token?: string };
  /** This bot process: the platforms it serves (undefined: every configured one), its health port. */
  bot: { platforms?: Platform[]; port: number };
  /** clipbot start's supervision: the first and the longest delay before restarting a child. */
  restart: { delayMs: number; maxDelayMs: number };
  /** Prompts the worker renders ahead while idle (CLIPBOT_WARM_PROMPTS); empty: no warming. */
  warmPrompts: WarmPrompt[];
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
      ...(e.COMFYUI_URL ? { comfyUrl: e.COMFYUI_URL } : {}),
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
      ...(e.CLIPBOT_BATCH_MAX ? { batchMax: e.CLIPBOT_BATCH_MAX } : {}),
      batchWaitMs: e.CLIPBOT_BATCH_WAIT_MS,
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
    ...slackConfig(e),
    dashboard: { port: e.CLIPBOT_DASHBOARD_PORT, token: e.CLIPBOT_DASHBOARD_TOKEN },
    bot: { platforms: e.CLIPBOT_BOT_PLATFORMS, port: e.CLIPBOT_BOT_PORT },
    restart: {
      delayMs: e.CLIPBOT_RESTART_DELAY_MS,
      maxDelayMs: Math.max(e.CLIPBOT_RESTART_DELAY_MS, e.CLIPBOT_RESTART_MAX_DELAY_MS),
    },
    warmPrompts: e.CLIPBOT_WARM_PROMPTS ? loadWarmPrompts(resolve(e.CLIPBOT_WARM_PROMPTS)) : [],
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
    schedules: {
      maxPerTenant: e.CLIPBOT_SCHEDULES_PER_TENANT,
      minGapMs: e.CLIPBOT_SCHEDULE_MIN_INTERVAL_S * 1_000,
      catchUpMs: e.CLIPBOT_SCHEDULE_CATCH_UP_S * 1_000,
    },
    jobRetention: {
      completed: { ageMs: e.CLIPBOT_KEEP_COMPLETED_JOBS_MS, count: e.CLIPBOT_KEEP_COMPLETED_JOBS },
      failed: { ageMs: e.CLIPBOT_KEEP_FAILED_JOBS_MS, count: e.CLIPBOT_KEEP_FAILED_JOBS },
    },
  };
}
