import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Platform } from '../core/index.ts';
import { logQueueErrors } from '../redis/index.ts';
import type { Schedule } from './schedule-store.ts';

/** What a schedule's run job carries: which schedule to read (its content may change between runs). */
export interface ScheduleRunData {
  tenantKey: string;
  scheduleId: number;
}

/** Each platform's runs have their own queue: only the bot process serving it consumes them. */
export function scheduleQueueName(platform: Platform): string {
  return `schedule-${platform}`;
}

/** BullMQ's job ids are `repeat:<scheduler id>:<ms>`: a scheduler id holds no colon. */
export function schedulerIdOf(schedule: Pick<Schedule, 'tenantKey' | 'id'>): string {
  return `${schedule.tenantKey.replace(/[^A-Za-z0-9_-]/g, '_')}.${schedule.id}`;
}

/**
 * The timing of schedules: one BullMQ job scheduler each, in Redis, so runs survive restarts of
 * every process. BullMQ keeps one job per scheduler waiting for its next run (computed in the
 * schedule's zone, DST included), so a long outage leaves one overdue run, never a burst.
 */
export class ScheduleTimers {
  private readonly queues = new Map<Platform, Queue<ScheduleRunData>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  queue(platform: Platform): Queue<ScheduleRunData> {
    let queue = this.queues.get(platform);
    if (!queue) {
      queue = new Queue<ScheduleRunData>(scheduleQueueName(platform), {
        connection: this.redis,
        prefix: this.prefix,
      });
      logQueueErrors(queue, this.logger, `queue ${scheduleQueueName(platform)}`);
      this.queues.set(platform, queue);
    }
    return queue;
  }

  /** Runs the schedule from its next time on (again, after a pause). */
  async start(platform: Platform, schedule: Schedule): Promise<void> {
    await this.queue(platform).upsertJobScheduler(
      schedulerIdOf(schedule),
      { pattern: schedule.cron, tz: schedule.timeZone },
      {
        name: 'run',
        data: { tenantKey: schedule.tenantKey, scheduleId: schedule.id },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }

  /** No more runs; the one waiting goes too. */
  async stop(platform: Platform, schedule: Pick<Schedule, 'tenantKey' | 'id'>): Promise<void> {
    await this.queue(platform).removeJobScheduler(schedulerIdOf(schedule));
  }

  /** When the schedule runs next, as BullMQ has it (undefined: not scheduled). */
  async nextRun(
    platform: Platform,
    schedule: Pick<Schedule, 'tenantKey' | 'id'>,
  ): Promise<number | undefined> {
    const scheduler = await this.queue(platform).getJobScheduler(schedulerIdOf(schedule));
    return scheduler?.next;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
