import { QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_BLOCKLIST, PromptModerator } from '../admission/index.ts';
import {
  ButtonActions,
  QueueService,
  ScheduleService,
  SettingsService,
  type SpineParts,
  TeaserService,
  VideoService,
} from '../app/index.ts';
import type {
  ChatAdapter,
  DeliverJobData,
  NoticeTarget,
  Platform,
  Reply,
  ReplyTarget,
  RequestHandler,
} from '../core/index.ts';
import {
  createDeliveryProcessor,
  deliverQueueName,
  ReplyCoalescer,
  relayProgress,
} from '../delivery/index.ts';
import { JobCanceller } from '../jobs/index.ts';
import { type ModelManifest, modelIdentity, takesStartImage } from '../model/manifest.ts';
import { logQueueErrors } from '../redis/index.ts';
import { ReplyBook, ReplyDesk, RequestDedupe } from '../replies/index.ts';
import { ScheduleStore, ScheduleTimers } from '../schedules/index.ts';
import { TenantSettingsStore } from '../tenants/index.ts';
import type { BotMetrics } from './bot-metrics.ts';
import { validationRulesFor } from './model-rules.ts';
import { startScheduleWorkers } from './schedule-workers.ts';

/** Scheduled clips: how many a tenant may have, how often one may run, how late a missed run may still run. */
export interface ScheduleLimits {
  maxPerTenant: number;
  minGapMs: number;
  catchUpMs: number;
}

export const DEFAULT_SCHEDULE_LIMITS: ScheduleLimits = {
  maxPerTenant: 25,
  minGapMs: 15 * 60_000,
  catchUpMs: 3_600_000,
};

export interface BotOptions {
  parts: SpineParts;
  /** Opens a connection of the bot's own (BullMQ's blocking reads and QueueEvents need their own). */
  connect: () => Redis;
  adapters: readonly ChatAdapter[];
  /** The model's manifest: admission checks requests against its tiers and limits. */
  manifest: ModelManifest;
  /** The operator's terms refused in every prompt, on top of the built-in list. */
  blocklist?: readonly string[];
  logger: Logger;
  /** Counts replies and failures by platform (the bot process's /metrics). */
  metrics?: Pick<
    BotMetrics,
    'replies' | 'replyFailures' | 'refusals' | 'firstReplySeconds' | 'deliveries' | 'warmHits'
  >;
  /** Least time between two edits of one message (platforms allow about one per 1.5 s). */
  editIntervalMs?: number;
  /** Default: DEFAULT_SCHEDULE_LIMITS. */
  schedules?: ScheduleLimits;
}

export interface Bot {
  handler: RequestHandler;
  /** The platforms this bot serves. */
  platforms: Platform[];
  close(): Promise<void>;
}

/**
 * The bot process's core: the use cases behind the adapter port, progress relayed from the workers
 * to each reply (throttled per message), and the deliver queue's consumer posting final replies.
 * Adapters are started last, so no request arrives before everything can serve it.
 */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { parts, logger } = options;
  // BullMQ leaves connections it was given open: the bot closes the ones it opened.
  const opened: Redis[] = [];
  const connect = () => {
    const connection = options.connect();
    opened.push(connection);
    return connection;
  };
  const adapters = new Map<Platform, ChatAdapter>(options.adapters.map((a) => [a.platform, a]));
  const book = new ReplyBook(parts.redis, parts.prefix);
  const dedupe = new RequestDedupe(parts.redis, parts.prefix);
  const desk = new ReplyDesk((platform) => adapters.get(platform), book);
  const coalescer = new ReplyCoalescer(
    async (target, reply) => {
      if ((await desk.show(target, reply)) !== 'shown') return;
      options.metrics?.replies.inc({ platform: target.platform, kind: reply.kind });
      if (reply.kind === 'refused')
        options.metrics?.refusals.inc({ platform: target.platform, reason: reply.reason });
      if (reply.kind === 'refused' && target.origin)
        logger.warn(
          { origin: target.origin, replyId: target.replyId, reason: reply.reason, message: reply.message },
          'a clip the bot posts on its own was refused; its owner is told',
        );
    },
    options.editIntervalMs ?? 1_500,
    (err, target) => {
      options.metrics?.replyFailures.inc({ platform: target.platform });
      logger.warn({ err, platform: target.platform }, 'reply edit failed');
    },
  );
  const show = (target: ReplyTarget, reply: Reply) => coalescer.update(target, reply);
  const settle = (target: ReplyTarget, reply: Reply) => coalescer.settle(target, reply);
  const notify = (to: NoticeTarget, message: string) => desk.notify(to, message);
  const rules = validationRulesFor(options.manifest);
  // One store for admission, /video-queue and /video-admin: a change shows in this process at once.
  const tenants = new TenantSettingsStore(parts.redis, {
    keyPrefix: parts.prefix,
    tiers: rules.tiers,
    logger,
  });
  const moderator = new PromptModerator([...DEFAULT_BLOCKLIST, ...(options.blocklist ?? [])]);
  const canceller = new JobCanceller(parts);
  const video = new VideoService({
    rules,
    moderator,
    limiter: parts.limiter,
    tenants,
    cache: parts.cache,
    artifacts: parts.artifacts,
    generate: parts.generate,
    fair: parts.fair,
    runTimes: parts.runTimes,
    book,
    workers: parts.workers,
    dedupe,
    redis: parts.redis,
    show,
    modelName: modelIdentity(options.manifest),
    imageModel: { name: options.manifest.name, takesImage: takesStartImage(options.manifest) },
    onWarmHit: (platform) => options.metrics?.warmHits.inc({ platform }),
    logger,
    keyPrefix: parts.prefix,
  });
  const buttons = new ButtonActions({
    canceller,
    book,
    dedupe,
    requestVideo: (request, target) => video.onVideoRequest(request, target),
    artifacts: parts.artifacts,
    show: settle,
    notify,
    logger,
  });
  const queue = new QueueService({
    limiter: parts.limiter,
    tenants,
    generate: parts.generate,
    runTimes: parts.runTimes,
    workers: parts.workers,
    redis: parts.redis,
  });
  const settings = new SettingsService({ tenants, limiter: parts.limiter, logger });
  const limits = options.schedules ?? DEFAULT_SCHEDULE_LIMITS;
  const scheduleStore = new ScheduleStore(parts.redis, parts.prefix);
  const timers = new ScheduleTimers(parts.redis, parts.prefix, logger);
  const schedules = new ScheduleService({
    store: scheduleStore,
    timers,
    tenants,
    rules,
    moderator,
    maxPerTenant: limits.maxPerTenant,
    minGapMs: limits.minGapMs,
    logger,
  });
  const teasers = new TeaserService({
    tenants,
    postTarget: (platform, place) => adapters.get(platform)?.postTarget?.(place),
    requestVideo: (request, target) => video.onVideoRequest(request, target),
    book,
    canceller,
    settle,
    redis: parts.redis,
    prefix: parts.prefix,
    maxPromptLength: rules.maxPromptLength,
    maxCaptionLength: rules.maxCaptionLength,
    logger,
  });
  const handler: RequestHandler = {
    // It resolves once the request's first reply is shown.
    onVideoRequest: async (request, target) => {
      await video.onVideoRequest(request, target);
      const seconds = Math.max(0, Date.now() - request.receivedAt) / 1000;
      options.metrics?.firstReplySeconds.observe({ platform: target.platform }, seconds);
    },
    onButton: (press) => buttons.onButton(press),
    onQueueQuery: (asker) => queue.onQueueQuery(asker),
    onSettingsCommand: (command) => settings.onSettingsCommand(command),
    onScheduleCommand: (command) => schedules.onScheduleCommand(command),
    onCommunityEvent: (change) => teasers.onCommunityEvent(change),
  };

  const events = new QueueEvents('generate', { connection: connect(), prefix: parts.prefix });
  logQueueErrors(events, logger, 'queue events generate');
  await events.waitUntilReady();
  const stopRelay = relayProgress(events, parts.generate, coalescer, (platform) => adapters.has(platform));
  // One deliver worker per platform this bot serves; final replies go through the coalescer too, so
  // a progress edit still pending cannot land after them.
  const deliverers = options.adapters.map((adapter) => {
    const deliverer = new Worker<DeliverJobData>(
      deliverQueueName(adapter.platform),
      createDeliveryProcessor({
        platform: adapter.platform,
        show: settle,
        artifacts: parts.artifacts,
        redis: parts.redis,
        logger,
        prefix: parts.prefix,
      }),
      { connection: connect(), prefix: parts.prefix, concurrency: 8 },
    );
    logQueueErrors(deliverer, logger, `worker ${deliverQueueName(adapter.platform)}`);
    deliverer.on('completed', () =>
      options.metrics?.deliveries.inc({ platform: adapter.platform, result: 'delivered' }),
    );
    deliverer.on('failed', (job, err) => {
      options.metrics?.deliveries.inc({ platform: adapter.platform, result: 'failed' });
      logger.warn(
        { jobId: job?.data.jobId, platform: adapter.platform, attempts: job?.attemptsMade, err: err.message },
        'delivery failed',
      );
    });
    return deliverer;
  });
  const scheduleWorkers = startScheduleWorkers({
    adapters: options.adapters,
    store: scheduleStore,
    timers,
    requestVideo: (request, target) => video.onVideoRequest(request, target),
    catchUpMs: limits.catchUpMs,
    connect,
    prefix: parts.prefix,
    logger,
  });
  const close = async () => {
    for (const adapter of options.adapters) await adapter.stop();
    stopRelay();
    await Promise.all([...deliverers, ...scheduleWorkers].map((worker) => worker.close()));
    await timers.close();
    await events.close();
    coalescer.close();
    await Promise.all(opened.map((connection) => connection.quit().catch(() => connection.disconnect())));
  };
  try {
    for (const adapter of options.adapters) await adapter.start(handler);
  } catch (error) {
    await close();
    throw error;
  }
  return { handler, platforms: [...adapters.keys()], close };
}
