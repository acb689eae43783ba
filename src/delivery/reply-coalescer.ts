import type { Reply, ReplyTarget } from '../core/index.ts';

type Render = (target: ReplyTarget, reply: Reply) => Promise<unknown>;

const SETTLED_MEMORY_MS = 10 * 60_000;

const isProgress = (reply: Reply) => reply.kind === 'queued' || reply.kind === 'running';

/**
 * Throttles reply edits per message (platforms allow about one edit per 1.5-2 s) and coalesces:
 * updates that arrive inside the interval replace each other, the newest is sent when the interval
 * ends, and a final state (done, failed, cancelled, refused) always shows and ends the message.
 */
export class ReplyCoalescer {
  private readonly slots = new Map<string, { lastSent: number; pending?: Reply; timer?: NodeJS.Timeout }>();
  /** Jobs whose message reached a final state, with when: their progress arriving late is dropped. */
  private readonly settled = new Map<string, number>();

  constructor(
    private readonly render: Render,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, target: ReplyTarget) => void = () => {},
  ) {}

  /**
   * Shows `reply` now when the message's interval has passed (resolving once it is shown), else
   * keeps it as the message's next edit (resolving at once). Errors go to `onError`, never here.
   */
  update(target: ReplyTarget, reply: Reply): Promise<void> {
    if (!isProgress(reply))
      return this.settle(target, reply).catch((error: unknown) => this.onError(error, target));
    const key = keyOf(target);
    if (this.settled.has(`${key}|${reply.jobId}`)) return Promise.resolve();
    const slot = this.slots.get(key) ?? { lastSent: Number.NEGATIVE_INFINITY };
    this.slots.set(key, slot);
    const wait = slot.lastSent + this.intervalMs - Date.now();
    if (wait <= 0 && !slot.timer) {
      slot.lastSent = Date.now();
      return this.send(target, reply);
    }
    slot.pending = reply;
    slot.timer ??= setTimeout(
      () => {
        slot.timer = undefined;
        const next = slot.pending;
        slot.pending = undefined;
        if (next && this.slots.get(key) === slot) {
          slot.lastSent = Date.now();
          void this.send(target, next);
        }
      },
      Math.max(0, wait),
    );
    return Promise.resolve();
  }

  /**
   * Renders a final state (or a deletion) now and waits for it. It drops the message's pending
   * progress, so a late progress edit can never overwrite the finished clip.
   */
  async settle(target: ReplyTarget, reply: Reply): Promise<void> {
    const key = keyOf(target);
    clearTimeout(this.slots.get(key)?.timer);
    this.slots.delete(key);
    if ('jobId' in reply) this.remember(`${key}|${reply.jobId}`);
    await this.render(target, reply);
  }

  private remember(key: string): void {
    const now = Date.now();
    if (this.settled.size >= 10_000) {
      for (const [k, at] of this.settled) if (now - at > SETTLED_MEMORY_MS) this.settled.delete(k);
      if (this.settled.size >= 10_000) this.settled.clear();
    }
    this.settled.set(key, now);
  }

  /** Drops pending updates (shutdown). */
  close(): void {
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private async send(target: ReplyTarget, reply: Reply): Promise<void> {
    try {
      await this.render(target, reply);
    } catch (error) {
      this.onError(error, target);
    }
  }
}

/** A reply's key: its stable id, not its handle, which changes when its message moves. */
function keyOf(target: ReplyTarget): string {
  return `${target.platform}|${target.replyId}`;
}
