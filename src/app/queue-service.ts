import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AdmissionLimiter } from '../admission/index.ts';
import {
  type Asker,
  type GenerateJobData,
  type GenerateProgressData,
  type NextClipView,
  type QualityChoice,
  type QueuedJobView,
  type QueueView,
  type RequestHandler,
  tenantKeyOf,
  userKeyOf,
} from '../core/index.ts';
import { queuePosition, type RunTimeAverage, type WorkerHeartbeats } from '../queue/index.ts';
import { effectiveLimits, type TenantSettingsStore, tenantRefusal } from '../tenants/index.ts';

export interface QueueServiceDeps {
  limiter: AdmissionLimiter;
  tenants: TenantSettingsStore<QualityChoice>;
  generate: Queue<GenerateJobData>;
  runTimes: RunTimeAverage;
  workers: WorkerHeartbeats;
  /** The connection the queue uses, for positions. */
  redis: Redis;
}

/**
 * The /video-queue use case: what the asker has in the queue and when they may ask again, read from
 * the same state admission decides on (the limiter's sets and buckets, the tenant's settings, the
 * queue) and never changing it. Positions and ETAs are computed as the queued reply computes them.
 */
export class QueueService implements Pick<RequestHandler, 'onQueueQuery'> {
  constructor(private readonly deps: QueueServiceDeps) {}

  async onQueueQuery(asker: Asker, now = Date.now()): Promise<QueueView> {
    const { deps } = this;
    const tenantKey = tenantKeyOf(asker);
    const userKey = userKeyOf(asker);
    const [settings, jobIds, tenantWaiting, workers] = await Promise.all([
      deps.tenants.get(tenantKey),
      deps.limiter.activeJobs(userKey, now),
      deps.limiter.waitingCount(tenantKey, now),
      deps.workers.alive(now),
    ]);
    const jobs = (await Promise.all(jobIds.map((id) => this.jobView(id, tenantKey, now))))
      .filter((job) => job !== undefined)
      .sort(byRunningThenPosition);
    const applied = deps.limiter.limitsFor(settings.limits);
    // A busy user is free again when their soonest job ends; with none, admission's own estimate.
    const soonest = Math.min(...jobs.map((job) => job.etaAt));
    const busyRetryMs = Number.isFinite(soonest) ? soonest - now : await deps.runTimes.etaMs(tenantWaiting);
    const peek = await deps.limiter.peek({
      tenantId: tenantKey,
      userId: userKey,
      now,
      busyRetryMs,
      limits: settings.limits,
    });
    const closed = tenantRefusal(settings, asker.channelId);
    const nextClip: NextClipView = closed
      ? { kind: 'closed', reason: closed.reason }
      : peek.decision.admitted
        ? { kind: 'now' }
        : { kind: 'later', at: peek.decision.retryAt, reason: peek.decision.reason };
    return {
      now,
      tenant: asker.tenant,
      jobs,
      tenantWaiting,
      limits: effectiveLimits(applied, settings.limits),
      clipsLeft: peek.tokensLeft,
      nextClip,
      noWorker: workers === 0,
    };
  }

  /** One of the asker's jobs, or undefined when it has left the queue meanwhile. */
  private async jobView(jobId: string, tenantKey: string, now: number): Promise<QueuedJobView | undefined> {
    const { generate, redis, runTimes } = this.deps;
    const [job, where] = await Promise.all([generate.getJob(jobId), queuePosition(generate, redis, jobId)]);
    if (!job || where.state === 'gone') return undefined;
    const common = { jobId, prompt: job.data.prompt, elsewhere: job.data.tenantKey !== tenantKey };
    if (where.state === 'waiting')
      return {
        state: 'waiting',
        ...common,
        position: where.position,
        etaAt: now + (await runTimes.etaMs(where.position)),
      };
    const progress = progressOf(job.progress);
    if (progress)
      return {
        state: 'running',
        ...common,
        step: progress.step,
        totalSteps: progress.totalSteps,
        ...(progress.tier ? { tier: progress.tier } : {}),
        etaAt: now + progress.etaMs,
      };
    // Taken by a worker that has not reported yet: about one average run from now.
    const etaAt = now + (await runTimes.averageMs());
    return { state: 'running', ...common, step: 0, totalSteps: job.data.steps ?? 0, etaAt };
  }
}

function progressOf(progress: unknown): GenerateProgressData | undefined {
  if (typeof progress !== 'object' || progress === null) return undefined;
  const p = progress as Partial<GenerateProgressData>;
  return typeof p.step === 'number' && typeof p.totalSteps === 'number' && typeof p.etaMs === 'number'
    ? { step: p.step, totalSteps: p.totalSteps, tier: String(p.tier ?? ''), etaMs: Math.max(0, p.etaMs) }
    : undefined;
}

function byRunningThenPosition(a: QueuedJobView, b: QueuedJobView): number {
  const rank = (job: QueuedJobView) => (job.state === 'running' ? 0 : job.position);
  return rank(a) - rank(b);
}
