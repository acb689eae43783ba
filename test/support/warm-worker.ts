import pino from 'pino';
import { DEFAULT_BLOCKLIST, PromptModerator } from '../../src/admission/index.ts';
import type { SpineParts } from '../../src/app/index.ts';
import { validationRulesFor } from '../../src/bot/model-rules.ts';
import type { WarmPrompt } from '../../src/config/index.ts';
import {
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  type ModelManifest,
  ModelWrapper,
  type VideoModel,
} from '../../src/model/index.ts';
import { TenantSettingsStore } from '../../src/tenants/index.ts';
import { type GenerateWorker, startGenerateWorker } from '../../worker/generate-worker.ts';
import { createWorkerMetrics, type WorkerMetrics } from '../../worker/worker-metrics.ts';
import type { useLocalRedis } from './local-redis.ts';

const silent = pino({ level: 'silent' });

/**
 * The generate worker as worker/main.ts starts it with CLIPBOT_WARM_PROMPTS set: the same rules,
 * moderation and tenant settings as admission, looking for idle time every `intervalMs`.
 */
export async function startWarmWorker(
  redis: ReturnType<typeof useLocalRedis>,
  options: {
    model: VideoModel;
    manifest: ModelManifest;
    parts: SpineParts;
    prompts: WarmPrompt[];
    intervalMs?: number;
    refreshBeforeMs?: number;
  },
): Promise<{
  worker: GenerateWorker;
  metrics: WorkerMetrics;
  warmRenders: (result: string) => Promise<number>;
}> {
  const rules = validationRulesFor(options.manifest);
  const metrics = createWorkerMetrics('cpu', options.model.name);
  const worker = await startGenerateWorker({
    model: options.model,
    parts: options.parts,
    connection: redis.client(),
    subscriber: redis.client(),
    logger: silent,
    progressIntervalMs: 0,
    metrics,
    warm: {
      prompts: options.prompts,
      rules,
      moderator: new PromptModerator(DEFAULT_BLOCKLIST),
      tenants: new TenantSettingsStore(options.parts.redis, {
        keyPrefix: options.parts.prefix,
        tiers: rules.tiers,
        logger: silent,
      }),
      uploadLimitBytes: 10 * 1024 * 1024,
      intervalMs: options.intervalMs ?? 50,
      ...(options.refreshBeforeMs !== undefined ? { refreshBeforeMs: options.refreshBeforeMs } : {}),
    },
  });
  const warmRenders = async (result: string) =>
    (await metrics.warmRenders.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { worker, metrics, warmRenders };
}

/** One generation as the model saw it: when it got the GPU, each step, and how it ended. */
export interface GenerationSeen {
  prompt: string;
  startedAt: number;
  steps: number[];
  endedAt?: number;
  outcome?: 'done' | 'error';
}

/**
 * The real model, with the times of every generation written down: wrapped by the worker's
 * BatchingModel, so `startedAt` is when a generation actually got its turn.
 */
export class TimedModel extends ModelWrapper {
  readonly seen: GenerationSeen[] = [];

  override async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    const seen: GenerationSeen = { prompt: request.prompt, startedAt: Date.now(), steps: [] };
    this.seen.push(seen);
    try {
      const video = await this.inner.generate(request, {
        ...options,
        onProgress: (p) => {
          seen.steps.push(Date.now());
          options.onProgress?.(p);
        },
      });
      seen.outcome = 'done';
      return video;
    } catch (error) {
      seen.outcome = 'error';
      throw error;
    } finally {
      seen.endedAt = Date.now();
    }
  }
}

/** Polls `read` every 20 ms until it gives a value. */
export async function waitFor<T>(
  read: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
