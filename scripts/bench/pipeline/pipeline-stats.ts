// Pure arithmetic over the moments the pipeline bench records; no I/O, so it is unit-tested.
// Every moment is a performance.now() reading in the bench process (ms, one monotonic clock).

/**
 * The p-th percentile (0–100) by linear interpolation between the two nearest ranks (numpy's
 * default): the median of [1, 2, 3, 4] is 2.5. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const lo = sorted[low] as number;
  const hi = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lo + (hi - lo) * (rank - low);
}

/** One clip's moments, from the request to its final reply. */
export interface ClipTrace {
  /** handler.onVideoRequest was called. */
  requestedAt: number;
  /** The adapter rendered the 'queued' reply. */
  queuedAt: number;
  /** The model's generate() began (the first call, should a tier fallback retry it). */
  inferenceStart: number;
  inferenceEnd: number;
  /** Time inside generate(), summed over the calls: text encode, sampling and decode. */
  inferenceMs: number;
  /** The worker's artifact store put() of the MP4 began and ended. */
  storeStart: number;
  storeEnd: number;
  /** The adapter rendered the 'done' reply. */
  doneAt: number;
}

/** The stages a clip's time splits into, in order; their sum is its end-to-end time. */
export const CLIP_STAGES = ['admit', 'pickup', 'inference', 'encode', 'store', 'deliver'] as const;
export type ClipStage = (typeof CLIP_STAGES)[number];

/** Each stage's length: admit (request → queued reply), pickup (→ inference), inference, encode
 * (→ store), store, deliver (stored → done reply: delivery queue, consumer, render). */
export function clipStages(t: ClipTrace): Record<ClipStage, number> {
  return {
    admit: t.queuedAt - t.requestedAt,
    pickup: t.inferenceStart - t.queuedAt,
    inference: t.inferenceMs,
    encode: t.storeStart - t.inferenceEnd,
    store: t.storeEnd - t.storeStart,
    deliver: t.doneAt - t.storeEnd,
  };
}

export interface Spread {
  p50: number;
  p95: number;
  max: number;
}

const spread = (values: readonly number[]): Spread => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: values.length ? Math.max(...values) : Number.NaN,
});

/** Overhead beyond inference over clips run one at a time, with each stage's spread. */
export interface OverheadSummary {
  clips: number;
  /** End-to-end minus inference, per clip. */
  overheadMs: Spread;
  endToEndMs: Spread;
  stagesMs: Record<ClipStage, Spread>;
}

export function summariseOverhead(traces: readonly ClipTrace[]): OverheadSummary {
  const stages = traces.map(clipStages);
  const endToEnd = traces.map((t) => t.doneAt - t.requestedAt);
  const stagesMs = Object.fromEntries(
    CLIP_STAGES.map((stage) => [stage, spread(stages.map((s) => s[stage]))]),
  ) as Record<ClipStage, Spread>;
  return {
    clips: traces.length,
    overheadMs: spread(traces.map((t, i) => (endToEnd[i] as number) - t.inferenceMs)),
    endToEndMs: spread(endToEnd),
    stagesMs,
  };
}

/** One job's moments on the worker. */
export interface JobTrace {
  /** BullMQ's 'active' event: the worker took the job. */
  activeAt: number;
  inferenceStart: number;
  inferenceEnd: number;
  inferenceMs: number;
  storeStart: number;
  storeEnd: number;
  /** BullMQ's 'completed' event: delivery queued, the job moved to completed. */
  completedAt: number;
}

/**
 * How the worker's wall time, from the first job taken to the last one completed, splits up. The
 * shares sum to 1; `dutyCycle` is the inference share: the fraction of time the GPU (here the
 * model's execution provider) had work.
 */
export interface DutySummary {
  jobs: number;
  wallMs: number;
  clipsPerMinute: number;
  dutyCycle: number;
  shares: {
    inference: number;
    /** ffmpeg: from frames out of the model to the MP4 handed to the store. */
    encode: number;
    store: number;
    /** Inside a job but outside the above: start-up (fair order, limiter, tier choice), the end
     * (delivery job, clip cache, limiter, run-time average) and BullMQ moving it to completed, which
     * also fetches the next job. */
    bookkeeping: number;
    /** From one job's 'completed' event to the next one's 'active' event. */
    between: number;
  };
}

export function summariseDuty(traces: readonly JobTrace[]): DutySummary {
  if (traces.length === 0) throw new Error('no jobs to summarise');
  const first = Math.min(...traces.map((t) => t.activeAt));
  const wallMs = Math.max(...traces.map((t) => t.completedAt)) - first;
  const sum = (pick: (t: JobTrace) => number) => traces.reduce((total, t) => total + pick(t), 0);
  const inference = sum((t) => t.inferenceMs);
  const encode = sum((t) => t.storeStart - t.inferenceEnd);
  const store = sum((t) => t.storeEnd - t.storeStart);
  const inJobs = sum((t) => t.completedAt - t.activeAt);
  const bookkeeping = inJobs - inference - encode - store;
  const share = (ms: number) => (wallMs > 0 ? ms / wallMs : Number.NaN);
  return {
    jobs: traces.length,
    wallMs,
    clipsPerMinute: wallMs > 0 ? (traces.length * 60_000) / wallMs : Number.NaN,
    dutyCycle: share(inference),
    shares: {
      inference: share(inference),
      encode: share(encode),
      store: share(store),
      bookkeeping: share(bookkeeping),
      between: share(wallMs - inJobs),
    },
  };
}
