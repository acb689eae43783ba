import { Counter, Gauge, Registry } from 'prom-client';

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
  return { registry, replies, replyFailures, workersAlive, redisUp };
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;
