import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import {
  AdmissionLimiter,
  type AdmissionLimits,
  ClipCache,
  DEFAULT_ADMISSION_LIMITS,
  DEFAULT_BLOCKLIST,
  PromptModerator,
  validationRulesSchema,
} from '../../src/admission/index.ts';
import type { VideoServiceDeps } from '../../src/app/index.ts';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { GenerateJobData, QualityChoice } from '../../src/core/index.ts';
import { FairOrder, RunTimeAverage, WorkerHeartbeats } from '../../src/queue/index.ts';
import { ReplyBook, RequestDedupe } from '../../src/replies/index.ts';
import { TenantSettingsStore } from '../../src/tenants/index.ts';

export const TEST_TIERS = ['low', 'medium', 'high'] as const;

/**
 * The /video use case's parts as the bot wires them, on one connection under `prefix`, with no
 * worker (queued jobs stay queued) and replies to `show`. Tests override what they are about.
 */
export function videoServiceDeps(
  connection: Redis,
  prefix: string,
  options: {
    limits?: Partial<AdmissionLimits>;
    show: VideoServiceDeps['show'];
    /** Whether the model takes a start image; default: no, like the bundled model. */
    takesImage?: boolean;
  },
): VideoServiceDeps & { generate: Queue<GenerateJobData> } {
  const silent = pino({ level: 'silent' });
  return {
    rules: validationRulesSchema.parse({
      minSteps: 1,
      maxSteps: 50,
      maxGuidance: 15,
      tiers: [...TEST_TIERS],
    }),
    moderator: new PromptModerator(DEFAULT_BLOCKLIST),
    limiter: new AdmissionLimiter(connection, { ...DEFAULT_ADMISSION_LIMITS, ...options.limits }, prefix),
    tenants: new TenantSettingsStore<QualityChoice>(connection, {
      keyPrefix: prefix,
      tiers: TEST_TIERS,
      logger: silent,
    }),
    cache: new ClipCache(connection, 600_000, `${prefix}:clip:`),
    artifacts: new RedisArtifactStore(connection, 600_000, `${prefix}:artifact:`),
    generate: new Queue<GenerateJobData>('generate', { connection, prefix }),
    fair: new FairOrder(connection, prefix),
    runTimes: new RunTimeAverage(connection, `${prefix}:avg`, 2_000),
    redis: connection,
    book: new ReplyBook(connection, prefix),
    workers: new WorkerHeartbeats(connection, prefix),
    dedupe: new RequestDedupe(connection, prefix),
    show: options.show,
    modelName: 'test-model',
    imageModel: { name: 'test-model', takesImage: options.takesImage ?? false },
    logger: silent,
    keyPrefix: prefix,
  };
}
