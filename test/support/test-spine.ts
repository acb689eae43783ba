import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts, type SpineParts } from '../../src/app/index.ts';
import { type Bot, type ScheduleLimits, startBot } from '../../src/bot/index.ts';
import type { ChatAdapter } from '../../src/core/index.ts';
import type { ModelManifest, VideoModel } from '../../src/model/index.ts';
import type { JobRetention } from '../../src/queue/index.ts';
import { type GenerateWorker, startGenerateWorker } from '../../worker/generate-worker.ts';
import type { useLocalRedis } from './local-redis.ts';

type RedisFixture = ReturnType<typeof useLocalRedis>;

const silent = pino({ level: 'silent' });

export interface TestBot {
  parts: SpineParts;
  bot: Bot;
  /** Stops the bot, then closes its queues. */
  close(): Promise<void>;
}

/**
 * The bot core as its process runs it, on the test's Redis: the spine's parts under `prefix` and
 * `startBot` with the given adapters. `connection` is the one the parts use (default: a new one), for
 * an adapter that shares it.
 */
export async function startTestBot(
  redis: RedisFixture,
  options: {
    prefix: string;
    adapters: ChatAdapter[];
    manifest: ModelManifest;
    editIntervalMs?: number;
    connection?: Redis;
    retention?: JobRetention;
    /** The bot core's logger (default: silent). */
    logger?: Logger;
    schedules?: ScheduleLimits;
  },
): Promise<TestBot> {
  const parts = createSpineParts(options.connection ?? redis.client(), {
    prefix: options.prefix,
    limits: DEFAULT_ADMISSION_LIMITS,
    ...(options.retention ? { retention: options.retention } : {}),
    logger: silent,
  });
  const bot = await startBot({
    parts,
    connect: () => redis.client(),
    adapters: options.adapters,
    manifest: options.manifest,
    logger: options.logger ?? silent,
    editIntervalMs: options.editIntervalMs ?? 50,
    ...(options.schedules ? { schedules: options.schedules } : {}),
  });
  return {
    parts,
    bot,
    close: async () => {
      await bot.close();
      await parts.close();
    },
  };
}

/** The generate worker in this process with `model`, reporting progress at every step. */
export function startTestWorker(
  redis: RedisFixture,
  model: VideoModel,
  parts: SpineParts,
  memoryBudgetMB?: number,
  batch?: { maxBatch: number; gatherMs: number },
): Promise<GenerateWorker> {
  return startGenerateWorker({
    model,
    parts,
    connection: redis.client(),
    subscriber: redis.client(),
    logger: silent,
    memoryBudgetMB,
    progressIntervalMs: 0,
    ...(batch ? { batch } : {}),
  });
}
