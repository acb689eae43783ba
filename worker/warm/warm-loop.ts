import type { Logger } from 'pino';
import type { WarmClip, WarmClips } from '../../src/admission/index.ts';
import type { WorkerActivity } from '../worker-activity.ts';
import type { WarmClipPlan, WarmPlanner } from './warm-plan.ts';

/** How a warm render ended: made, stopped for a job that arrived, or failed. */
export type WarmRenderResult = 'done' | 'gave-way' | 'failed';

export interface WarmLoopOptions {
  planner: WarmPlanner;
  render: (plan: WarmClipPlan, signal: AbortSignal) => Promise<WarmClip>;
  warm: WarmClips;
  activity: WorkerActivity;
  /** Generate jobs waiting, prioritized or delayed: while there are any, nothing is warmed. */
  jobsWaiting: () => Promise<number>;
  /** This worker's name in the render locks. */
  owner: string;
  /** How often an idle worker looks for a clip to warm (default 5 s). */
  intervalMs?: number;
  /** A warm clip is rendered again when less than this is left of it (default: a quarter of its TTL). */
  refreshBeforeMs?: number;
  /** A render that failed is tried again after this long (default 5 minutes). */
  retryFailedMs?: number;
  logger: Logger;
  onRendered?: (result: WarmRenderResult, plan: WarmClipPlan) => void;
}

/**
 * Keeps the warm clips warm, in the worker's idle time only: when it holds no job and no generate
 * job waits, it renders the missing or soonest-expiring warm clip, one at a time. Warm renders never
 * enter the queue, so they never stand in the fair order; a job that arrives mid-render stops it at
 * the next sampler step (it is tried again at the next idle moment), so the job waits at most a step.
 */
export class WarmLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private current: AbortController | undefined;
  private stopped = false;
  private readonly failedUntil = new Map<string, number>();

  constructor(private readonly options: WarmLoopOptions) {}

  /** Starts looking after one interval: a starting worker first takes the jobs already waiting. */
  start(): void {
    this.schedule(this.options.intervalMs ?? 5_000);
  }

  /** Stops looking, and stops a render under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.abort();
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'warming failed'))
        .then((renderedOne) => this.schedule(renderedOne === true ? 0 : (this.options.intervalMs ?? 5_000)));
    }, ms);
  }

  /** True when it rendered (or tried) a clip, so the next one is looked for at once. */
  private async tick(): Promise<boolean> {
    const { activity } = this.options;
    if (!activity.idle || (await this.options.jobsWaiting()) > 0) return false;
    const plan = await this.nextDue();
    if (!plan || this.stopped) return false;
    await this.renderOne(plan);
    return true;
  }

  /** The missing or soonest-expiring warm clip that is due, if any. */
  private async nextDue(): Promise<WarmClipPlan | undefined> {
    const { warm } = this.options;
    const refreshBeforeMs = this.options.refreshBeforeMs ?? warm.ttlMs / 4;
    let due: { plan: WarmClipPlan; leftMs: number } | undefined;
    for (const plan of await this.options.planner.plan()) {
      if ((this.failedUntil.get(plan.seedless) ?? 0) > Date.now()) continue;
      const leftMs = await warm.timeLeftMs(plan.seedless);
      if (leftMs < refreshBeforeMs && (!due || leftMs < due.leftMs)) due = { plan, leftMs };
    }
    return due?.plan;
  }

  private async renderOne(plan: WarmClipPlan): Promise<void> {
    const { warm, activity, owner, logger } = this.options;
    const log = logger.child({ warm: plan.seedless, source: plan.source });
    // Another worker may be rendering it: the lock outlasts a render that is not stopped.
    if (!(await warm.claim(plan.seedless, owner, 15 * 60_000))) return;
    const controller = new AbortController();
    this.current = controller;
    const giveWay = activity.onBusy(() => controller.abort());
    try {
      if (!activity.idle) controller.abort(); // a job arrived while this render was being chosen
      const started = Date.now();
      const clip = await this.options.render(plan, controller.signal);
      log.info({ tier: clip.clip.tier, ms: Date.now() - started, bytes: clip.bytes }, 'warm clip ready');
      this.options.onRendered?.('done', plan);
    } catch (error) {
      if (controller.signal.aborted && this.stopped) {
        log.info('warm render stopped: the worker is stopping');
      } else if (controller.signal.aborted) {
        log.info('warm render gave way to a job; it is tried again when the worker is idle');
        this.options.onRendered?.('gave-way', plan);
      } else {
        log.warn({ err: error }, 'warm render failed');
        this.failedUntil.set(plan.seedless, Date.now() + (this.options.retryFailedMs ?? 5 * 60_000));
        this.options.onRendered?.('failed', plan);
      }
    } finally {
      giveWay();
      this.current = undefined;
      await warm.release(plan.seedless, owner);
    }
  }
}
