import { setTimeout as sleep } from 'node:timers/promises';
import type { QualityChoice } from '../../../src/core/index.ts';
import type { BenchSpine } from './bench-spine.ts';
import { type ClipRequest, clipRequest } from './clip-request.ts';
import type { ClipTrace, JobTrace } from './pipeline-stats.ts';
import type { TimedModel } from './timed-model.ts';

export interface ClipRunOptions {
  /** Names the clips' users and message ids; one per measurement, so none collide. */
  phase: string;
  count: number;
  /** Clip i gets seed seedBase + i: unique across phases, so the clip cache never answers. */
  seedBase: number;
  tier: QualityChoice;
  /** How long one clip may take before the bench gives up. */
  clipTimeoutMs: number;
}

type Traced = ClipTrace & JobTrace;

/** Waits for the clip's final reply and puts its moments together; throws unless it is a clip at `tier`. */
async function traceClip(
  spine: BenchSpine,
  model: TimedModel,
  clip: ClipRequest,
  tier: string,
  requestedAt: number,
  timeoutMs: number,
): Promise<Traced> {
  const final = await spine.adapter.final(clip.messageId, timeoutMs);
  const done = final.reply;
  if (done.kind !== 'done')
    throw new Error(`clip ${clip.messageId} ended '${done.kind}': ${JSON.stringify(done)}`);
  if (done.clip.tier !== tier)
    throw new Error(`clip ${clip.messageId} ran at tier ${done.clip.tier}, not ${tier} (memory fallback?)`);
  const queued = spine.adapter.first(clip.messageId, 'queued');
  const calls = model.callsFor(clip.seed);
  const put = spine.artifacts.putOf(`clip-${done.jobId}`);
  const [first, last] = [calls[0], calls.at(-1)];
  if (!queued || !first || !last || !put)
    throw new Error(`clip ${clip.messageId}: a moment was not recorded`);
  // BullMQ emits 'completed' after moving the job, which can be after its delivery was rendered.
  const end = performance.now() + 5_000;
  while (spine.jobMoments(done.jobId).completedAt === undefined && performance.now() < end) await sleep(5);
  const job = spine.jobMoments(done.jobId);
  return {
    requestedAt,
    queuedAt: queued.at,
    inferenceStart: first.start,
    inferenceEnd: last.end,
    inferenceMs: calls.reduce((sum, c) => sum + c.end - c.start, 0),
    storeStart: put.start,
    storeEnd: put.end,
    doneAt: final.at,
    activeAt: job.activeAt ?? Number.NaN,
    completedAt: job.completedAt ?? Number.NaN,
  };
}

/** Clips one at a time, each requested once the previous one's reply is rendered: no queue wait. */
export async function clipsOneByOne(
  spine: BenchSpine,
  model: TimedModel,
  o: ClipRunOptions,
): Promise<Traced[]> {
  const traces: Traced[] = [];
  for (let i = 0; i < o.count; i++) {
    const clip = clipRequest(o.phase, i, o.tier, o.seedBase + i);
    const requestedAt = performance.now();
    await spine.handler.onVideoRequest(clip.request, clip.target);
    traces.push(await traceClip(spine, model, clip, o.tier, requestedAt, o.clipTimeoutMs));
  }
  return traces;
}

/**
 * All clips requested at once against an idle worker. `fullQueue` says whether every clip was queued
 * before the first job completed, so the worker never waited for work.
 */
export async function clipsAllAtOnce(
  spine: BenchSpine,
  model: TimedModel,
  o: ClipRunOptions,
): Promise<{ traces: Traced[]; fullQueue: boolean }> {
  const clips = Array.from({ length: o.count }, (_, i) => clipRequest(o.phase, i, o.tier, o.seedBase + i));
  const requestedAt = performance.now();
  await Promise.all(clips.map((c) => spine.handler.onVideoRequest(c.request, c.target)));
  const timeoutMs = o.clipTimeoutMs * o.count;
  const traces = await Promise.all(
    clips.map((c) => traceClip(spine, model, c, o.tier, requestedAt, timeoutMs)),
  );
  const lastQueued = Math.max(...traces.map((t) => t.queuedAt));
  const firstCompleted = Math.min(...traces.map((t) => t.completedAt));
  return { traces, fullQueue: lastQueued < firstCompleted };
}
