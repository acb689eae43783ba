import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envExample } from '../../scripts/write-env-example.ts';
import {
  BUNDLED_MANIFEST_PATH,
  ConfigError,
  ConfigErrorCode,
  configuredPlatforms,
  DEFAULT_DATA_DIR,
  describeConfig,
  loadConfig,
} from '../../src/config/index.ts';

/** The error loadConfig throws for this environment, or undefined when it parses. */
function configError(env: Record<string, string>): unknown {
  try {
    loadConfig(env);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('loadConfig', () => {
  it('with an empty environment, gives the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      log: { level: 'info', pretty: false },
      model: { manifestPath: BUNDLED_MANIFEST_PATH, providers: ['cpu'], threads: 0 },
      media: { ffmpegPath: undefined, maxBytes: 10_485_760 },
      redis: { url: undefined, dataDir: DEFAULT_DATA_DIR },
      admission: {
        blocklist: [],
        limits: {
          tenantClips: 30,
          tenantIntervalMs: 3_600_000,
          userClips: 6,
          userIntervalMs: 3_600_000,
          maxActivePerUser: 1,
          maxWaitingPerTenant: 10,
          maxWaitingGlobal: 100,
          keyTtlMs: 3_600_000,
          busyRetryMs: 60_000,
          sharesPerClip: 4,
        },
      },
      schedules: { maxPerTenant: 25, minGapMs: 900_000, catchUpMs: 3_600_000 },
      jobRetention: {
        completed: { ageMs: 3_600_000, count: 1_000 },
        failed: { ageMs: 86_400_000, count: 5_000 },
      },
      worker: {
        port: 9465,
        memoryBudgetMB: undefined,
        autoTargetMs: 5_000,
        batchWaitMs: 200,
        lockMs: 30_000,
        shutdownGraceMs: 90_000,
      },
      keyPrefix: 'clipbot',
      dashboard: { port: undefined, token: undefined },
      bot: { platforms: undefined, port: 9466 },
      restart: { delayMs: 1_000, maxDelayMs: 30_000 },
      warmPrompts: [],
      playground: {
        enabled: true,
        port: 8787,
        host: '127.0.0.1',
        token: undefined,
        allowedHosts: [],
        trustedProxies: [],
      },
    });
  });

  it('reads which platforms a bot process serves, and refuses a platform that does not exist', () => {
    expect(loadConfig({ CLIPBOT_BOT_PLATFORMS: 'playground' }).bot.platforms).toEqual(['playground']);
    expect(loadConfig({ CLIPBOT_BOT_PLATFORMS: 'discord, slack' }).bot.platforms).toEqual([
      'discord',
      'slack',
    ]);
    expect(String(configError({ CLIPBOT_BOT_PLATFORMS: 'irc' }))).toMatch(/CLIPBOT_BOT_PLATFORMS/);
  });

  it('runs Discord when its token is set, with the REST base URL without its version', () => {
    expect(loadConfig({}).discord).toBeUndefined();
    expect(configuredPlatforms(loadConfig({}))).toEqual(['playground']);
    const token = 'MTIz.fake-bot-token.for-config-tests';
    const config = loadConfig({ DISCORD_TOKEN: token, DISCORD_API_URL: 'http://127.0.0.1:9/api/v10/' });
    expect(config.discord).toEqual({ token, apiUrl: 'http://127.0.0.1:9/api' });
    expect(configuredPlatforms(config)).toEqual(['playground', 'discord']);
    expect(loadConfig({ DISCORD_TOKEN: token }).discord?.apiUrl).toBe('https://discord.com/api');
    expect(String(configError({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '12' }))).toMatch(
      /DISCORD_APPLICATION_ID/,
    );
  });

  it('runs Slack when its signing secret and a bot token (or the OAuth trio) are set, and names what a partial setup lacks', () => {
    const secret = 'a-signing-secret-of-32-characters';
    expect(loadConfig({}).slack).toBeUndefined();
    const one = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: secret });
    expect(one.slack).toEqual({
      signingSecret: secret,
      botToken: 'xoxb-1-2-abc',
      apiUrl: 'https://slack.com/api/',
      port: 3000,
      host: '127.0.0.1',
    });
    expect(configuredPlatforms(one)).toEqual(['playground', 'slack']);
    const socket = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: secret,
      SLACK_APP_TOKEN: 'xapp-1-A1-abc',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(socket.slack).toMatchObject({ appToken: 'xapp-1-A1-abc', apiUrl: 'http://127.0.0.1:9/api/' });
    const many = loadConfig({
      SLACK_SIGNING_SECRET: secret,
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret-value',
      SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
    });
    expect(many.slack?.oauth).toEqual({
      clientId: '123.456',
      clientSecret: 'client-secret-value',
      stateSecret: 'a-state-secret-of-some-length',
    });
    expect(many.slack?.botToken).toBeUndefined();
    expect(String(configError({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }))).toMatch(/SLACK_SIGNING_SECRET/);
    expect(String(configError({ SLACK_SIGNING_SECRET: secret, SLACK_CLIENT_ID: '1.2' }))).toMatch(
      /SLACK_CLIENT_SECRET, SLACK_STATE_SECRET/,
    );
    expect(String(configError({ SLACK_BOT_TOKEN: 'not-a-bot-token', SLACK_SIGNING_SECRET: secret }))).toMatch(
      /SLACK_BOT_TOKEN/,
    );
  });

  it('never lets the longest restart delay be shorter than the first', () => {
    expect(
      loadConfig({ CLIPBOT_RESTART_DELAY_MS: '5000', CLIPBOT_RESTART_MAX_DELAY_MS: '100' }).restart,
    ).toEqual({
      delayMs: 5_000,
      maxDelayMs: 5_000,
    });
  });

  it('reads how long finished jobs are kept and what a shared clip costs, and refuses retention too short to read a job that just ended', () => {
    const config = loadConfig({
      CLIPBOT_KEEP_COMPLETED_JOBS_MS: '60000',
      CLIPBOT_KEEP_COMPLETED_JOBS: '50',
      CLIPBOT_KEEP_FAILED_JOBS_MS: '600000',
      CLIPBOT_KEEP_FAILED_JOBS: '200',
      CLIPBOT_SHARES_PER_CLIP: '10',
    });
    expect(config.jobRetention).toEqual({
      completed: { ageMs: 60_000, count: 50 },
      failed: { ageMs: 600_000, count: 200 },
    });
    expect(config.admission.limits.sharesPerClip).toBe(10);
    expect(String(configError({ CLIPBOT_KEEP_COMPLETED_JOBS: '0' }))).toMatch(/CLIPBOT_KEEP_COMPLETED_JOBS/);
    expect(String(configError({ CLIPBOT_KEEP_FAILED_JOBS_MS: '500' }))).toMatch(
      /CLIPBOT_KEEP_FAILED_JOBS_MS/,
    );
    expect(String(configError({ CLIPBOT_SHARES_PER_CLIP: '0' }))).toMatch(/CLIPBOT_SHARES_PER_CLIP/);
  });

  it('reads the operator blocklist as a comma list, ignoring blanks', () => {
    expect(loadConfig({ CLIPBOT_BLOCKLIST: ' spam , ,free money,' }).admission.blocklist).toEqual([
      'spam',
      'free money',
    ]);
  });

  it('reads the dashboard port and token, and leaves the dashboard off when no port is set', () => {
    const token = 'a'.repeat(24);
    expect(loadConfig({ CLIPBOT_DASHBOARD_PORT: '3001', CLIPBOT_DASHBOARD_TOKEN: token }).dashboard).toEqual({
      port: 3001,
      token,
    });
    expect(loadConfig({ CLIPBOT_DASHBOARD_TOKEN: token }).dashboard.port).toBeUndefined();
  });

  it('when the dashboard port is set without a token, then start-up fails saying the token is required', () => {
    const cases: Record<string, string>[] = [
      { CLIPBOT_DASHBOARD_PORT: '3001' },
      { CLIPBOT_DASHBOARD_PORT: '3001', CLIPBOT_DASHBOARD_TOKEN: '' },
    ];
    for (const env of cases) {
      const error = configError(env);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: ConfigErrorCode.Invalid });
      expect((error as Error).message).toMatch(
        /CLIPBOT_DASHBOARD_TOKEN is required when CLIPBOT_DASHBOARD_PORT is set/,
      );
    }
  });

  it('when the dashboard token is shorter than 24 characters, then start-up fails naming it, not echoing it', () => {
    const message = (
      configError({
        CLIPBOT_DASHBOARD_PORT: '3001',
        CLIPBOT_DASHBOARD_TOKEN: 'short-secret-23-chars-x',
      }) as Error
    ).message;
    expect(message).toContain('CLIPBOT_DASHBOARD_TOKEN');
    expect(message).toContain('at least 24 characters');
    expect(message).not.toContain('short-secret-23-chars-x');
  });

  it('when the playground listens beyond loopback without a token, then start-up fails saying why', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'clips.example.com']) {
      const error = configError({ CLIPBOT_PLAYGROUND_HOST: host });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(
        /opens the playground to the network, so CLIPBOT_PLAYGROUND_TOKEN is required/,
      );
    }
    const token = 'p'.repeat(16);
    expect(
      loadConfig({ CLIPBOT_PLAYGROUND_HOST: '0.0.0.0', CLIPBOT_PLAYGROUND_TOKEN: token }).playground,
    ).toMatchObject({
      host: '0.0.0.0',
      token,
    });
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(loadConfig({ CLIPBOT_PLAYGROUND_HOST: host }).playground.host).toBe(host);
    expect(
      loadConfig({ CLIPBOT_PLAYGROUND_HOST: '0.0.0.0', CLIPBOT_PLAYGROUND: 'false' }).playground.enabled,
    ).toBe(false);
  });

  it("reads the playground's host names and trusted proxies as comma lists, refusing what is neither", () => {
    const config = loadConfig({
      CLIPBOT_PLAYGROUND_HOSTS: 'clips.example.com, 192.168.1.20:8787 ,[::1]:8787',
      CLIPBOT_PLAYGROUND_TRUSTED_PROXIES: '10.0.0.2, ::1',
    });
    expect(config.playground.allowedHosts).toEqual(['clips.example.com', '192.168.1.20:8787', '[::1]:8787']);
    expect(config.playground.trustedProxies).toEqual(['10.0.0.2', '::1']);
    expect(String(configError({ CLIPBOT_PLAYGROUND_HOSTS: 'http://clips.example.com/' }))).toMatch(
      /CLIPBOT_PLAYGROUND_HOSTS/,
    );
    expect(String(configError({ CLIPBOT_PLAYGROUND_TRUSTED_PROXIES: '10.0.0.0/8' }))).toMatch(
      /CLIPBOT_PLAYGROUND_TRUSTED_PROXIES/,
    );
  });

  it('reads the worker port, its memory budget and the key prefix, refusing a bad prefix', () => {
    const config = loadConfig({
      CLIPBOT_WORKER_PORT: '0',
      CLIPBOT_MEMORY_BUDGET_MB: '2048',
      CLIPBOT_KEY_PREFIX: 'stage',
    });
    expect(config.worker).toEqual({
      port: 0,
      memoryBudgetMB: 2048,
      autoTargetMs: 5_000,
      batchWaitMs: 200,
      lockMs: 30_000,
      shutdownGraceMs: 90_000,
    });
    expect(config.keyPrefix).toBe('stage');
    expect(() => loadConfig({ CLIPBOT_KEY_PREFIX: 'a:b' })).toThrow(/CLIPBOT_KEY_PREFIX/);
  });

  it('reads the batching limits, refusing a batch of none', () => {
    expect(loadConfig({ CLIPBOT_BATCH_MAX: '8', CLIPBOT_BATCH_WAIT_MS: '50' }).worker).toMatchObject({
      batchMax: 8,
      batchWaitMs: 50,
    });
    expect(() => loadConfig({ CLIPBOT_BATCH_MAX: '0' })).toThrow(/CLIPBOT_BATCH_MAX/);
  });

  it("reads auto quality's time target in ms, refusing a fraction", () => {
    expect(loadConfig({ CLIPBOT_AUTO_TARGET_MS: '12000' }).worker.autoTargetMs).toBe(12_000);
    expect(() => loadConfig({ CLIPBOT_AUTO_TARGET_MS: '2.5' })).toThrow(/CLIPBOT_AUTO_TARGET_MS/);
  });

  it('by default keeps local data (the private Redis) in data/ under the package root', () => {
    expect(DEFAULT_DATA_DIR).toBe(resolve(import.meta.dirname, '../..', 'data'));
  });

  it('reads the Redis URL, the data folder (made absolute) and the admission limits', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://cache.internal:6380/2',
      CLIPBOT_DATA_DIR: 'var/clipbot',
      CLIPBOT_TENANT_CLIPS_PER_HOUR: '60',
      CLIPBOT_USER_CLIPS_PER_HOUR: '10',
      CLIPBOT_USER_MAX_ACTIVE: '2',
      CLIPBOT_TENANT_MAX_WAITING: '20',
      CLIPBOT_MAX_WAITING: '500',
    });
    expect(config.redis).toEqual({ url: 'redis://cache.internal:6380/2', dataDir: resolve('var/clipbot') });
    expect(config.admission.limits).toMatchObject({
      tenantClips: 60,
      userClips: 10,
      maxActivePerUser: 2,
      maxWaitingPerTenant: 20,
      maxWaitingGlobal: 500,
    });
  });

  it('by default points at the bundled model under the package root, whatever the cwd', () => {
    const packageRoot = resolve(import.meta.dirname, '../..');
    expect(BUNDLED_MANIFEST_PATH).toBe(resolve(packageRoot, 'models/shapes-v1/model.json'));
  });

  it('reads log settings and the ffmpeg path, treating empty strings as unset', () => {
    const config = loadConfig({ LOG_LEVEL: 'debug', LOG_PRETTY: 'yes', FFMPEG_PATH: '/opt/ffmpeg' });
    expect(config.log).toEqual({ level: 'debug', pretty: true });
    expect(config.media).toEqual({ ffmpegPath: '/opt/ffmpeg', maxBytes: 10_485_760 });
    expect(loadConfig({ FFMPEG_PATH: '' }).media.ffmpegPath).toBeUndefined();
  });

  it('reads the model path (made absolute), providers in order, threads and the upload budget', () => {
    const config = loadConfig({
      CLIPBOT_MODEL: 'models/other/model.json',
      CLIPBOT_PROVIDERS: ' CUDA, cpu ,cuda',
      CLIPBOT_THREADS: '4',
      CLIPBOT_MAX_UPLOAD_BYTES: '8388608',
    });
    expect(config.model).toEqual({
      manifestPath: resolve('models/other/model.json'),
      providers: ['cuda', 'cpu'],
      threads: 4,
    });
    expect(isAbsolute(config.model.manifestPath)).toBe(true);
    expect(config.media.maxBytes).toBe(8_388_608);
  });

  it('when a variable is invalid, then start-up fails naming it', () => {
    const error = configError({ LOG_LEVEL: 'loud', LOG_PRETTY: 'maybe' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: ConfigErrorCode.Invalid });
    expect((error as Error).message).toMatch(/LOG_LEVEL[\s\S]*LOG_PRETTY/);
  });

  it('when a provider is unknown, then start-up fails naming it and the ones there are', () => {
    const message = (configError({ CLIPBOT_PROVIDERS: 'cuda,tpu' }) as Error).message;
    expect(message).toContain('CLIPBOT_PROVIDERS');
    expect(message).toContain('unknown provider "tpu"; use cuda, webgpu, cpu');
  });

  it('when the provider list is empty, then start-up fails', () => {
    expect((configError({ CLIPBOT_PROVIDERS: ' , ' }) as Error).message).toMatch(/CLIPBOT_PROVIDERS/);
  });

  it.each([
    ['CLIPBOT_THREADS', '-1'],
    ['CLIPBOT_THREADS', '1.5'],
    ['CLIPBOT_THREADS', 'many'],
    ['CLIPBOT_MAX_UPLOAD_BYTES', '0'],
    ['CLIPBOT_MAX_UPLOAD_BYTES', '10MB'],
    ['REDIS_URL', 'localhost:6379'],
    ['CLIPBOT_TENANT_CLIPS_PER_HOUR', '0'],
    ['CLIPBOT_USER_MAX_ACTIVE', 'one'],
    ['CLIPBOT_DASHBOARD_PORT', '0'],
    ['CLIPBOT_DASHBOARD_PORT', '70000'],
    ['CLIPBOT_DASHBOARD_PORT', 'http'],
  ])('when %s is %j, then start-up fails naming it', (name, value) => {
    const error = configError({ [name]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });

  it('describes every variable it reads', () => {
    const names = describeConfig().map((entry) => entry.name);
    expect(names).toEqual([
      'LOG_LEVEL',
      'LOG_PRETTY',
      'FFMPEG_PATH',
      'CLIPBOT_MODEL',
      'COMFYUI_URL',
      'CLIPBOT_PROVIDERS',
      'CLIPBOT_THREADS',
      'CLIPBOT_MAX_UPLOAD_BYTES',
      'REDIS_URL',
      'CLIPBOT_DATA_DIR',
      'CLIPBOT_KEY_PREFIX',
      'CLIPBOT_WORKER_PORT',
      'CLIPBOT_WORKER_LOCK_MS',
      'CLIPBOT_SHUTDOWN_GRACE_MS',
      'CLIPBOT_MEMORY_BUDGET_MB',
      'CLIPBOT_AUTO_TARGET_MS',
      'CLIPBOT_BATCH_MAX',
      'CLIPBOT_BATCH_WAIT_MS',
      'CLIPBOT_BOT_PLATFORMS',
      'CLIPBOT_RESTART_DELAY_MS',
      'CLIPBOT_RESTART_MAX_DELAY_MS',
      'CLIPBOT_BOT_PORT',
      'CLIPBOT_BLOCKLIST',
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'DISCORD_API_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'CLIPBOT_SLACK_PORT',
      'CLIPBOT_SLACK_HOST',
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
      'CLIPBOT_PLAYGROUND',
      'CLIPBOT_PLAYGROUND_PORT',
      'CLIPBOT_PLAYGROUND_HOST',
      'CLIPBOT_PLAYGROUND_TOKEN',
      'CLIPBOT_PLAYGROUND_HOSTS',
      'CLIPBOT_PLAYGROUND_TRUSTED_PROXIES',
      'CLIPBOT_TENANT_CLIPS_PER_HOUR',
      'CLIPBOT_USER_CLIPS_PER_HOUR',
      'CLIPBOT_USER_MAX_ACTIVE',
      'CLIPBOT_TENANT_MAX_WAITING',
      'CLIPBOT_MAX_WAITING',
      'CLIPBOT_SHARES_PER_CLIP',
      'CLIPBOT_KEEP_COMPLETED_JOBS_MS',
      'CLIPBOT_KEEP_COMPLETED_JOBS',
      'CLIPBOT_KEEP_FAILED_JOBS_MS',
      'CLIPBOT_KEEP_FAILED_JOBS',
      'CLIPBOT_SCHEDULES_PER_TENANT',
      'CLIPBOT_SCHEDULE_MIN_INTERVAL_S',
      'CLIPBOT_SCHEDULE_CATCH_UP_S',
      'CLIPBOT_WARM_PROMPTS',
      'CLIPBOT_DASHBOARD_PORT',
      'CLIPBOT_DASHBOARD_TOKEN',
    ]);
    expect(describeConfig().every((entry) => entry.description.length > 0)).toBe(true);
  });
});

describe('.env.example', () => {
  it('lists every variable the config reads, as scripts/write-env-example.ts writes it', () => {
    const committed = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(committed).toBe(envExample());
  });
});
