import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createScheduleProcessor } from '../app/index.ts';
import type { ChatAdapter, ReplyTarget, VideoRequest } from '../core/index.ts';
import { logQueueErrors } from '../redis/index.ts';
import {
  type ScheduleRunData,
  type ScheduleStore,
  type ScheduleTimers,
  scheduleQueueName,
} from '../schedules/index.ts';

export interface ScheduleWorkersOptions {
  adapters: readonly ChatAdapter[];
  store: ScheduleStore;
  timers: ScheduleTimers;
  requestVideo: (request: VideoRequest, target: ReplyTarget) => Promise<void>;
  catchUpMs: number;
  connect: () => Redis;
  prefix: string;
  logger: Logger;
}

/**
 * One consumer of schedule runs per platform this bot serves that can post on its own; runs wait
 * in Redis while no bot of their platform is up.
 */
export function startScheduleWorkers(options: ScheduleWorkersOptions): Worker<ScheduleRunData>[] {
  const workers: Worker<ScheduleRunData>[] = [];
  for (const adapter of options.adapters) {
    const postTarget = adapter.postTarget?.bind(adapter);
    if (!postTarget) continue;
    const name = scheduleQueueName(adapter.platform);
    const worker = new Worker<ScheduleRunData>(
      name,
      createScheduleProcessor({
        platform: adapter.platform,
        store: options.store,
        timers: options.timers,
        postTarget,
        requestVideo: options.requestVideo,
        catchUpMs: options.catchUpMs,
        logger: options.logger,
      }),
      { connection: options.connect(), prefix: options.prefix, concurrency: 4 },
    );
    logQueueErrors(worker, options.logger, `worker ${name}`);
    worker.on('failed', (job, err) =>
      options.logger.warn(
        { scheduleId: job?.data.scheduleId, tenant: job?.data.tenantKey, err: err.message },
        'a scheduled run failed',
      ),
    );
    workers.push(worker);
  }
  return workers;
}
