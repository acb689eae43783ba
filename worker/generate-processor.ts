import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../src/artifacts/index.ts';
import type { ClipDelivery, GenerateJobData, GenerateProgressData } from '../src/core/index.ts';
import { JobCancelledError, type JobEndings, stopReasonOf } from '../src/jobs/index.ts';
import { defaultUpscale, encodeMp4, prepareMp4Encode } from '../src/media/index.ts';
import { DEFAULT_MAX_RUN_MS, PipelineError, PipelineErrorCode, type VideoModel } from '../src/model/index.ts';
import type { CancelRequests, RunTimeAverage } from '../src/queue/index.ts';
import { chooseTierForJob, generateWithFallback, tierRun } from './fallback/index.ts';
import type { JobsOnTheirWay } from './jobs-on-their-way.ts';
import { throttleProgress } from './progress-throttle.ts';
import { readStartImage } from './start-image.ts';

export interface ProcessorDeps {
  model: VideoModel;
  artifacts: ArtifactStore;
  /** Queues the final reply and frees the job's slots. */
  endings: JobEndings;
  /** Cancels asked for before the job started (a running job is cancelled through the worker). */
  cancels?: CancelRequests;
  runTimes: RunTimeAverage;
  logger: Logger;
  memoryBudgetMB?: number;
  /** `auto` takes the highest tier expected within this many ms (CLIPBOT_AUTO_TARGET_MS; default 5 s). */
  autoTargetMs?: number;
  /** Jobs waiting in the generate queue: a long queue makes `auto` drop a tier. */
  waitingJobs?: () => Promise<number>;
  /** ffmpeg binary; default: ffmpeg on PATH. */
  ffmpegPath?: string;
  /** Called when a job starts: its start bookkeeping (fair clock, limiter slot). */
  onStart?: (data: GenerateJobData, jobId: string) => Promise<void>;
  /** Called once the clip is stored and its delivery queued (metrics). */
  onClip?: (delivery: ClipDelivery) => void;
  progressIntervalMs?: number;
  /** Told when a job is taken and when it reaches the model, so that a batch can wait for it. */
  onTheirWay?: JobsOnTheirWay;
}

/** Times a job goes back to the queue because the model's process died while it held the job. */
const MODEL_RESTART_RERUNS = 1;

/** Failures that retrying the same job cannot fix: never retried by BullMQ. */
const FINAL = new Set<string>([
  PipelineErrorCode.InvalidOptions,
  PipelineErrorCode.TierUnknown,
  PipelineErrorCode.Aborted,
]);

/**
 * The worker's BullMQ processor `(job, token, signal)`: picks the tier that fits, generates with
 * out-of-memory fallback, encodes to the upload limit, stores the MP4 and enqueues its delivery.
 * The signal reaches the sampler and ffmpeg, so a cancel stops work within one step.
 */
export function createGenerateProcessor(deps: ProcessorDeps) {
  const run = processJob(deps);
  return async (job: Job<GenerateJobData>, token?: string, signal?: AbortSignal): Promise<ClipDelivery> => {
    const reachedModel = deps.onTheirWay?.enter(queueOrderOf(job)) ?? (() => {});
    try {
      return await run(job, reachedModel, token, signal);
    } finally {
      reachedModel();
    }
  };
}

/** The job's place in the queue's fair order: its fair tag (its priority), then when it was queued. */
function queueOrderOf(job: Job<GenerateJobData>): number[] {
  return [job.data.fairTag, job.timestamp];
}

function processJob(deps: ProcessorDeps) {
  return async (
    job: Job<GenerateJobData>,
    reachedModel: () => void,
    token?: string,
    signal?: AbortSignal,
  ): Promise<ClipDelivery> => {
    const started = Date.now();
    const data = job.data;
    const jobId = job.id as string;
    const log = deps.logger.child({ jobId, tenant: data.tenantKey });
    await deps.onStart?.(data, jobId);
    if (await deps.cancels?.isRequested(jobId)) throw new JobCancelledError();
    const choice = await chooseTierForJob(deps.model, data.quality, {
      runTimes: deps.runTimes,
      waitingJobs: deps.waitingJobs,
      memoryBudgetMB: deps.memoryBudgetMB,
      autoTargetMs: deps.autoTargetMs,
      steps: data.steps,
    });
    const report = throttleProgress<GenerateProgressData>((p) => {
      job.updateProgress(p).catch((error: unknown) => log.warn({ err: error }, 'progress update failed'));
    }, deps.progressIntervalMs ?? 300);
    // ffmpeg starts now and waits for the frames: its start-up overlaps the sampling, not the reply.
    const encoder = await prepareMp4Encode(
      { width: choice.tier.width, height: choice.tier.height, fps: deps.model.fps },
      {
        ffmpegPath: deps.ffmpegPath,
        maxBytes: data.uploadLimitBytes,
        upscale: defaultUpscale(choice.tier),
        signal,
        ...(data.caption ? { caption: data.caption } : {}),
      },
    );
    try {
      const startImage = data.startImage && (await readStartImage(deps.artifacts, data.startImage));
      reachedModel();
      const { video, droppedTiers } = await generateWithFallback(
        deps.model,
        {
          prompt: data.prompt,
          negativePrompt: data.negativePrompt,
          seed: data.seed,
          steps: data.steps,
          guidance: data.guidance,
          ...(startImage ? { startImage } : {}),
        },
        choice.tier,
        {
          signal,
          deadline: Date.now() + (deps.model.maxRunMs ?? DEFAULT_MAX_RUN_MS),
          queueOrder: queueOrderOf(job),
          logger: log,
          onProgress: (p) => report({ ...p }, p.step === p.totalSteps),
        },
      );
      const encodeStarted = Date.now();
      // Frames of a lower tier (a fallback) get their own upscale and a new ffmpeg.
      const clip =
        video.tier.name === choice.tier.name
          ? await encoder.encode(video.frames)
          : await encodeMp4(video.frames, {
              ffmpegPath: deps.ffmpegPath,
              maxBytes: data.uploadLimitBytes,
              upscale: defaultUpscale(video.frames),
              signal,
            });
      const artifactKey = `clip-${job.id}`;
      await deps.artifacts.put(artifactKey, clip.bytes);
      const firstDrop = droppedTiers[0];
      const fallback =
        video.tier.name === choice.asked.name
          ? undefined
          : { from: choice.asked.name, reason: choice.fallbackReason ?? firstDrop?.reason ?? 'lower tier' };
      const delivery: ClipDelivery = {
        outcome: 'clip',
        jobId,
        target: data.target,
        prompt: data.prompt,
        artifactKey,
        fileName: `clipbot-${data.seed}.mp4`,
        seed: video.seed,
        tier: video.tier.name,
        ...(fallback ? { fallback } : {}),
        elapsedMs: Date.now() - started,
      };
      await deps.endings.clipReady(data, delivery);
      // What the job held the worker for: inference plus encoding (not the clip's playing time).
      const runMs = video.timings.totalMs + (Date.now() - encodeStarted);
      await deps.runTimes.record(runMs, tierRun(video, runMs));
      deps.onClip?.(delivery);
      log.info(
        { tier: video.tier.name, ms: delivery.elapsedMs, bytes: clip.bytes.length, fallback },
        'clip done',
      );
      return delivery;
    } catch (error) {
      const stop = stopReasonOf(signal);
      if (stop) {
        if (stop !== 'hand-back' || !token) throw new JobCancelledError();
        await job.moveToWait(token); // another worker (or this one, restarted) takes it from the start
        log.info('handed back to the queue');
        throw new WaitingError();
      }
      if (
        error instanceof PipelineError &&
        error.code === PipelineErrorCode.ModelRestarted &&
        token &&
        (data.modelRestarts ?? 0) < MODEL_RESTART_RERUNS
      ) {
        // Not the job's doing (most likely): it runs again once the model is back. A job whose model
        // dies again fails, so a job that crashes the model cannot take it down for ever.
        await job.updateData({ ...data, modelRestarts: (data.modelRestarts ?? 0) + 1 });
        await job.moveToWait(token);
        log.warn({ err: error.message }, 'the model stopped while it held the job; back to the queue');
        throw new WaitingError();
      }
      if (error instanceof PipelineError && FINAL.has(error.code))
        throw Object.assign(new UnrecoverableError(error.message), { cause: error });
      throw error;
    } finally {
      await encoder.dispose();
    }
  };
}
