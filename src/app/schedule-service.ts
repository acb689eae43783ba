import type { Logger } from 'pino';
import { type PromptModerator, type ValidationRules, validateRequest } from '../admission/index.ts';
import {
  type Asker,
  type QualityChoice,
  type RequestHandler,
  type ScheduleAnswer,
  type ScheduleCommand,
  type ScheduleSpec,
  type ScheduleView,
  tenantKeyOf,
} from '../core/index.ts';
import {
  nextRuns,
  readRule,
  type Schedule,
  type ScheduleStore,
  type ScheduleTimers,
} from '../schedules/index.ts';
import { type TenantSettingsStore, tenantRefusal } from '../tenants/index.ts';
import { adminCommand } from './admin-command.ts';
import { channelIdOf } from './settings-edits.ts';

export interface ScheduleServiceDeps {
  store: ScheduleStore;
  timers: Pick<ScheduleTimers, 'start' | 'stop'>;
  tenants: TenantSettingsStore<QualityChoice>;
  rules: ValidationRules;
  moderator: PromptModerator;
  /** Most schedules one tenant may have (CLIPBOT_SCHEDULES_PER_TENANT). */
  maxPerTenant: number;
  /** The shortest time allowed between two runs of one schedule. */
  minGapMs: number;
  logger: Logger;
}

const NOT_ALLOWED =
  'Only members who can manage this server or workspace may see or change its scheduled clips.';
const FAILED = 'Nothing was changed: something went wrong on our side. Please try again in a minute.';
/** Runs shown with a new or changed schedule, so a mistake shows before it runs. */
const RUNS_SHOWN = 3;

/**
 * The /video-schedule use case, for the tenant's admins only (checked here whatever the platform
 * shows): a schedule is checked like a request (prompt and caption cleaned, length-checked and
 * moderated with the tenant's terms, the channel allowed by the tenant's settings) and its rule read
 * before anything is written; every change is logged with who made it.
 */
export class ScheduleService implements Pick<RequestHandler, 'onScheduleCommand'> {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  async onScheduleCommand(command: ScheduleCommand): Promise<ScheduleAnswer> {
    const { asker } = command;
    const { log, tenantKey, allowed } = adminCommand(this.deps.logger, command);
    if (!allowed) {
      log.warn({ action: command.action }, 'schedule command refused: the asker may not manage this tenant');
      return { kind: 'not-allowed', message: NOT_ALLOWED };
    }
    try {
      switch (command.action) {
        case 'add':
          return await this.add(asker, command.spec, log);
        case 'list': {
          const schedules = await this.deps.store.list(tenantKey);
          return { kind: 'list', schedules: schedules.map((s) => view(s, 1)), max: this.deps.maxPerTenant };
        }
        default:
          return await this.change(asker, command.action, command.id, log);
      }
    } catch (error) {
      log.error({ err: error, action: command.action }, 'schedule command failed');
      return { kind: 'failed', message: FAILED };
    }
  }

  private async add(asker: Asker, spec: ScheduleSpec, log: Logger): Promise<ScheduleAnswer> {
    const { deps } = this;
    const tenantKey = tenantKeyOf(asker);
    const tenant = await deps.tenants.get(tenantKey);
    const channelId = channelIdOf(spec.channel);
    if (channelId === undefined)
      return invalid(
        `Name the channel by picking it (#channel) or by its id; "${spec.channel.slice(0, 40)}" is neither.`,
      );
    const closed = tenantRefusal(tenant, channelId);
    if (closed) return invalid(`A schedule there would be refused at every run: ${closed.message}`);
    const read = readRule(spec.when, spec.timeZone ?? tenant.timeZone ?? 'UTC', deps.minGapMs);
    if ('problem' in read) return invalid(read.problem);
    const checked = validateRequest(
      {
        requestId: 'schedule-check',
        tenant: asker.tenant,
        user: asker.user,
        channelId,
        prompt: spec.prompt,
        options: spec.caption === undefined ? {} : { caption: spec.caption },
        receivedAt: Date.now(),
        uploadLimitBytes: Number.MAX_SAFE_INTEGER,
      },
      deps.rules,
    );
    if (!checked.ok) return invalid(checked.message);
    const { prompt, options } = checked.request;
    const moderation = deps.moderator.checkRequest(checked.request, tenant.blocklist);
    if (!moderation.allowed) return invalid(moderation.message);

    const draft = {
      channelId,
      ownerId: asker.user.id,
      prompt,
      ...(options.caption ? { caption: options.caption } : {}),
      when: spec.when.trim(),
      ...read.rule,
      paused: false,
      createdAt: Date.now(),
    };
    const schedule = await deps.store.add(tenantKey, draft, deps.maxPerTenant);
    if (!schedule)
      return invalid(
        `This server or workspace has ${deps.maxPerTenant} schedules, the most it may have. Remove one first (/video-schedule list shows them).`,
      );
    try {
      await deps.timers.start(asker.tenant.platform, schedule);
    } catch (error) {
      await deps.store.remove(tenantKey, schedule.id);
      throw error;
    }
    log.info(
      { scheduleId: schedule.id, cron: schedule.cron, timeZone: schedule.timeZone, channelId },
      'schedule added',
    );
    return { kind: 'schedule', action: 'added', schedule: view(schedule, RUNS_SHOWN) };
  }

  private async change(
    asker: Asker,
    action: 'remove' | 'pause' | 'resume',
    id: number,
    log: Logger,
  ): Promise<ScheduleAnswer> {
    const { store, timers } = this.deps;
    const tenantKey = tenantKeyOf(asker);
    const { platform } = asker.tenant;
    const schedule = Number.isInteger(id) ? await store.get(tenantKey, id) : undefined;
    if (!schedule) return invalid(`There is no schedule ${id} here; /video-schedule list shows them.`);
    if (action === 'remove') {
      await timers.stop(platform, schedule);
      await store.remove(tenantKey, id);
      log.info({ scheduleId: id }, 'schedule removed');
      return { kind: 'schedule', action: 'removed', schedule: view(schedule, 0) };
    }
    const paused = action === 'pause';
    const changed = { ...schedule, paused };
    if (paused) await timers.stop(platform, schedule);
    if (!(await store.update(changed))) return invalid(`Schedule ${id} was removed meanwhile.`);
    if (!paused) await timers.start(platform, changed);
    log.info({ scheduleId: id }, paused ? 'schedule paused' : 'schedule resumed');
    return { kind: 'schedule', action: paused ? 'paused' : 'resumed', schedule: view(changed, RUNS_SHOWN) };
  }
}

function invalid(message: string): ScheduleAnswer {
  return { kind: 'invalid', message };
}

/** The schedule as admins see it, with its next `runs` run times (none while paused). */
export function view(schedule: Schedule, runs: number): ScheduleView {
  return {
    id: schedule.id,
    prompt: schedule.prompt,
    ...(schedule.caption ? { caption: schedule.caption } : {}),
    channelId: schedule.channelId,
    when: schedule.when,
    description: schedule.description,
    timeZone: schedule.timeZone,
    paused: schedule.paused,
    ownerId: schedule.ownerId,
    nextRuns:
      schedule.paused || runs === 0 ? [] : nextRuns(schedule.cron, schedule.timeZone, Date.now(), runs),
  };
}
