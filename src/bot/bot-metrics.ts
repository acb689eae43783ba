import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A bot process's Prometheus metrics, in their own registry. */
export function createBotMetrics() {
  const registry = new Registry();
  const replies = new Counter({
    name: 'clipbot_replies_total',
    help: 'Replies shown on a platform, by platform and state',
    labelNames: ['platform', 'kind'],
    registers: [registry],
  });
  const replyFailures = new Counter({
    name: 'clipbot_reply_failures_total',
    help: 'Replies a platform refused or could not take, by platform',
    labelNames: ['platform'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'clipbot_refusals_total',
    help: 'Requests refused at admission (limits, input, moderation, settings), by platform and reason',
    labelNames: ['platform', 'reason'],
    registers: [registry],
  });
  const firstReplySeconds = new Histogram({
    name: 'clipbot_first_reply_seconds',
    help: 'From the platform event to its first reply shown (queued, refused or a cached clip)',
    labelNames: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const warmHits = new Counter({
    name: 'clipbot_warm_hits_total',
    help: 'Requests answered at once by a clip rendered ahead for a popular prompt (CLIPBOT_WARM_PROMPTS), by platform',
    labelNames: ['platform'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'clipbot_deliveries_total',
    help: 'Final replies delivered from the deliver queue, by platform and result',
    labelNames: ['platform', 'result'],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'clipbot_platform_auth_failures_total',
    help: "Calls a platform refused for the bot's own credentials (401), by platform: never retried in a loop",
    labelNames: ['platform'],
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: 'clipbot_rate_limit_waits_total',
    help: "Times a platform client waited out the platform's rate limit, by platform",
    labelNames: ['platform'],
    registers: [registry],
  });
  const adaptersConnected = new Gauge({
    name: 'clipbot_adapter_connected',
    help: "1 while the platform's adapter is connected (Gateway session up, HTTP server listening)",
    labelNames: ['platform'],
    registers: [registry],
  });
  const redisReconnects = new Counter({
    name: 'clipbot_redis_reconnects_total',
    help: 'Times the bot started reconnecting to Redis',
    registers: [registry],
  });
  const workersAlive = new Gauge({
    name: 'clipbot_workers_alive',
    help: 'Workers whose heartbeat the bot saw lately',
    registers: [registry],
  });
  const redisUp = new Gauge({
    name: 'clipbot_redis_up',
    help: '1 while the bot is connected to Redis',
    registers: [registry],
  });
  return {
    registry,
    replies,
    replyFailures,
    refusals,
    firstReplySeconds,
    warmHits,
    deliveries,
    authFailures,
    rateLimitWaits,
    adaptersConnected,
    redisReconnects,
    workersAlive,
    redisUp,
  };
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;
