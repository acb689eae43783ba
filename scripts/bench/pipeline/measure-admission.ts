import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AdmissionLimiter } from '../../../src/admission/index.ts';
import type { QualityChoice } from '../../../src/core/index.ts';
import { createRedis } from '../../../src/redis/index.ts';
import { admissionScenario, checkAdmissions, scenarioRequests } from './admission-scenario.ts';
import type { BenchSpine } from './bench-spine.ts';
import { clipRequest } from './clip-request.ts';
import type { PipelineReport, ThroughputResult } from './pipeline-report.ts';

/** Runs `call(i)` for i in 0…count-1, `inFlight` at a time; times from the first call to the last answer. */
async function timedLanes(
  count: number,
  inFlight: number,
  call: (i: number, lane: number) => Promise<void>,
): Promise<ThroughputResult> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async (_, lane) => {
      for (let i = next++; i < count; i = next++) await call(i, lane);
    }),
  );
  const elapsedMs = performance.now() - start;
  return { calls: count, elapsedMs, perSecond: (count * 1000) / elapsedMs, inFlight };
}

const ready = (redis: Redis) =>
  redis.status === 'ready' ? Promise.resolve() : new Promise<void>((done) => redis.once('ready', done));

/**
 * Admission decisions per second of the limiter alone (one Lua script per decision), from several
 * connections as several bot processes would send them, and whether the count admitted is exactly
 * what the limits allow.
 */
export async function limiterThroughput(
  redisUrl: string,
  logger: Logger,
  decisions: number,
  { connections = 2, inFlight = 200 } = {},
): Promise<PipelineReport['admission']> {
  const scenario = admissionScenario(decisions);
  const requests = scenarioRequests(scenario);
  // Producers, as on the request path: fail fast, so wait for 'ready' before the first command.
  const clients = Array.from({ length: connections }, () =>
    createRedis(redisUrl, { role: 'producer', logger }),
  );
  try {
    await Promise.all(clients.map(ready));
    const limiters = clients.map((c) => new AdmissionLimiter(c, scenario.limits, 'bench-admission'));
    // Loads the script into Redis (EVALSHA's first NOSCRIPT) under keys the measurement never reads.
    for (const c of clients) {
      await new AdmissionLimiter(c, scenario.limits, 'bench-warm').admit({
        tenantId: 't',
        userId: 'u',
        jobId: 'j',
      });
    }
    const admitted: boolean[] = new Array(requests.length).fill(false);
    const result = await timedLanes(requests.length, inFlight, async (i, lane) => {
      const r = requests[i];
      const limiter = limiters[lane % limiters.length];
      if (!r || !limiter) return;
      const overrides = scenario.overrides[r.tenant % scenario.overrides.length];
      const decision = await limiter.admit({
        tenantId: r.tenantId,
        userId: r.userId,
        jobId: r.jobId,
        limits: overrides,
      });
      admitted[i] = decision.admitted;
    });
    const { tenants, usersPerTenant, requestsPerUser } = scenario;
    return {
      ...result,
      connections,
      scenario: { tenants, usersPerTenant, requestsPerUser },
      check: checkAdmissions(scenario, requests, admitted),
    };
  } finally {
    for (const c of clients) c.disconnect();
  }
}

/**
 * Requests per second through the whole /video admission path (VideoService via the bot's handler)
 * with no worker running: each request its own user and seed, so every one should be queued.
 */
export async function servicePathThroughput(
  spine: BenchSpine,
  tier: QualityChoice,
  count: number,
  inFlight = 50,
): Promise<PipelineReport['servicePath']> {
  const warm = clipRequest('service-warm', 0, tier, 9_000_000);
  await spine.handler.onVideoRequest(warm.request, warm.target);
  const clips = Array.from({ length: count }, (_, i) => clipRequest('service', i, tier, 1_000_000 + i));
  const result = await timedLanes(count, inFlight, async (i) => {
    const clip = clips[i];
    if (clip) await spine.handler.onVideoRequest(clip.request, clip.target);
  });
  const queued = clips.filter((c) => spine.adapter.first(c.messageId, 'queued')).length;
  return { ...result, queued, pass: queued === count };
}
