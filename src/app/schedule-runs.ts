import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Platform, PostPlace, ReplyHandle, ReplyTarget, VideoRequest } from '../core/index.ts';
import {
  type ScheduleRunData,
  type ScheduleStore,
  type ScheduleTimers,
  schedulerIdOf,
} from '../schedules/index.ts';

export interface ScheduleRunsDeps {
  platform: Platform;
  store: Pick<ScheduleStore, 'get'>;
  timers: Pick<ScheduleTimers, 'stop'>;
  /** The platform adapter's post target for a channel (ChatAdapter.postTarget). */
  postTarget: (place: PostPlace) => { handle: ReplyHandle; uploadLimitBytes: number };
  /** The `/video` use case: moderation, the tenant's limits and the fair queue, as for anyone. */
  requestVideo: (request: VideoRequest, target: ReplyTarget) => Promise<void>;
  /** A run found this late (everything was down) still runs once; a later one is skipped. */
  catchUpMs: number;
  logger: Logger;
}

export type ScheduleRunOutcome = 'requested' | 'skipped-late' | 'gone';

/**
 * One run of a schedule, as BullMQ's job scheduler fires it: reads the schedule as it is now, skips
 * a run missed by more than `catchUpMs` (logged: never a burst of catch-up clips), and asks for the
 * clip like a person would, as its owner, with the reply posted in the schedule's channel. A
 * refusal (a limit, moderation) is shown to the owner alone by the adapter and logged by the bot.
 */
export function createScheduleProcessor(deps: ScheduleRunsDeps) {
  return async (job: Job<ScheduleRunData>): Promise<ScheduleRunOutcome> => {
    const { tenantKey, scheduleId } = job.data;
    const dueAt = job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
    const log = deps.logger.child({ tenant: tenantKey, scheduleId, dueAt: new Date(dueAt).toISOString() });
    const schedule = await deps.store.get(tenantKey, scheduleId);
    if (!schedule || schedule.paused) {
      // Its job scheduler should be gone already; a run left over from a crash stops it for good.
      await deps.timers.stop(deps.platform, { tenantKey, id: scheduleId });
      log.info('a run of a removed or paused schedule: nothing made');
      return 'gone';
    }
    const lateMs = Date.now() - dueAt;
    if (lateMs > deps.catchUpMs) {
      log.warn(
        { lateMs },
        'a scheduled run was missed while clipbot was down and is skipped (too late to catch up); the next run is as planned',
      );
      return 'skipped-late';
    }
    if (lateMs > 60_000) log.info({ lateMs }, 'a scheduled run missed while clipbot was down runs now, once');
    const tenant = { platform: deps.platform, id: tenantKey.slice(deps.platform.length + 1) };
    const place = { tenant, channelId: schedule.channelId, userId: schedule.ownerId };
    const { handle, uploadLimitBytes } = deps.postTarget(place);
    const runId = `${schedulerIdOf(schedule)}.${dueAt}`;
    const request: VideoRequest = {
      requestId: `schedule.${runId}`,
      tenant,
      user: { id: schedule.ownerId },
      channelId: schedule.channelId,
      prompt: schedule.prompt,
      options: schedule.caption ? { caption: schedule.caption } : {},
      receivedAt: Date.now(),
      uploadLimitBytes,
    };
    const target: ReplyTarget = {
      platform: deps.platform,
      kind: 'post',
      replyId: `s.${runId}`,
      handle,
      origin: { kind: 'schedule', scheduleId, ownerId: schedule.ownerId, description: schedule.description },
    };
    await deps.requestVideo(request, target);
    log.info({ replyId: target.replyId }, 'scheduled clip requested');
    return 'requested';
  };
}
