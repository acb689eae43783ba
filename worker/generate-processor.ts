import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../src/artifacts/index.ts';
import type { DeliverJobData, GenerateJobData, GenerateProgressData } from '../src/core/index.ts';
import { defaultUpscale, encodeMp4 } from '../src/media/index.ts';
import type { RunTimeAverage } from '../src/queue/index.ts';
import { availableMemoryMB, chooseTier, generateWithFallback } from './fallback/index.ts';
import { PipelineError, PipelineErrorCode, type VideoModel } from './pipeline/index.ts';
import { throttleProgress } from './progress-throttle.ts';

export interface ProcessorDeps {
  model: VideoModel;
  artifacts: ArtifactStore;
  deliver: Queue<DeliverJobData>;
  runTimes: RunTimeAverage;
  logger: Logger;
  memoryBudgetMB?: number;
  /** Called when a job starts, with its fair-order tag (moves the virtual clock). */
  onStart?: (data: GenerateJobData, jobId: string) => Promise<void>;
  /** Called once the clip is stored and its delivery queued (frees limiter slots, fills the cache). */
  onDone?: (data: GenerateJobData, delivery: DeliverJobData) => Promise<void>;
  progressIntervalMs?: number;
}

/** Failures the user cannot fix by retrying the same job: never retried by BullMQ. */
const FINAL = new Set<string>([PipelineErrorCode.InvalidOptions, PipelineErrorCode.TierUnknown]);

/**
 * The worker's BullMQ processor `(job, token, signal)`: picks the tier that fits, generates with
 * out-of-memory fallback, encodes to the upload limit, stores the MP4 and enqueues its delivery.
 * The signal reaches the sampler and ffmpeg, so a cancel stops work within one step.
 */
export function createGenerateProcessor(deps: ProcessorDeps) {
  return async (
    job: Job<GenerateJobData>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<DeliverJobData> => {
    const started = Date.now();
    const data = job.data;
    const log = deps.logger.child({ jobId: job.id, tenant: data.tenantKey });
    await deps.onStart?.(data, job.id as string);
    const choice = chooseTier(deps.model.tiers, data.quality, deps.model.defaultTier, {
      availableMB: availableMemoryMB({ budgetMB: deps.memoryBudgetMB }),
    });
    const report = throttleProgress<GenerateProgressData>((p) => {
      job.updateProgress(p).catch((error: unknown) => log.warn({ err: error }, 'progress update failed'));
    }, deps.progressIntervalMs ?? 300);
    try {
      const { video, droppedTiers } = await generateWithFallback(
        deps.model,
        {
          prompt: data.prompt,
          negativePrompt: data.negativePrompt,
          seed: data.seed,
          steps: data.steps,
          guidance: data.guidance,
        },
        choice.tier,
        {
          signal,
          logger: log,
          onProgress: (p) => report({ ...p }, p.step === p.totalSteps),
        },
      );
      const clip = await encodeMp4(video.frames, {
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
      const delivery: DeliverJobData = {
        jobId: job.id as string,
        target: data.target,
        prompt: data.prompt,
        artifactKey,
        fileName: `clipbot-${data.seed}.mp4`,
        seed: video.seed,
        tier: video.tier.name,
        ...(fallback ? { fallback } : {}),
        elapsedMs: Date.now() - started,
      };
      // The delivery job id is the generate job's: a rerun after a crash cannot deliver twice.
      await deps.deliver.add('deliver', delivery, {
        jobId: `deliver-${job.id}`,
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
      });
      await deps.runTimes.record(video.timings.totalMs + clip.durationMs);
      await deps.onDone?.(data, delivery);
      log.info(
        { tier: video.tier.name, ms: delivery.elapsedMs, bytes: clip.bytes.length, fallback },
        'clip done',
      );
      return delivery;
    } catch (error) {
      if (error instanceof PipelineError && FINAL.has(error.code))
        throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
