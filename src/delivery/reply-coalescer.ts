import type { Reply, ReplyTarget } from '../core/index.ts';

type Render = (target: ReplyTarget, reply: Reply) => Promise<unknown>;

const SETTLED_MEMORY_MS = 10 * 60_000;

const isProgress = (reply: Reply) => reply.kind === 'queued' || reply.kind === 'running';

/**
 * Throttles reply edits per message (platforms allow about one edit per 1.5-2 s) and coalesces:
 * updates that arrive inside the interval, or while an edit is on its way (a slow platform, a
 * rate-limit wait), replace each other, and the newest is sent when both are over. Edits of one
 * message never overlap, so they land in order; a final state (done, failed, cancelled, refused)
 * always shows, after any edit on its way, and ends the message.
 */
export class ReplyCoalescer {
  private readonly slots = new Map<string, Slot>();
  /** Jobs whose message reached a final state, with when: their progress arriving late is dropped. */
  private readonly settled = new Map<string, number>();
  /** Each message's last render: the next waits for it, so edits land in the order they were made. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly render: Render,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, target: ReplyTarget) => void = () => {},
  ) {}

  /**
   * Shows `reply` now when the message's interval has passed and no edit of it is on its way
   * (resolving once it is shown), else keeps it as the message's next edit (resolving at once).
   * Errors go to `onError`, never here.
   */
  update(target: ReplyTarget, reply: Reply): Promise<void> {
    if (!isProgress(reply))
      return this.settle(target, reply).catch((error: unknown) => this.onError(error, target));
    const key = keyOf(target);
    if (this.settled.has(`${key}|${reply.jobId}`)) return Promise.resolve();
    const slot = this.slots.get(key) ?? { lastSent: Number.NEGATIVE_INFINITY, busy: false };
    this.slots.set(key, slot);
    slot.pending = reply;
    return this.pump(key, target, slot);
  }

  /**
   * Renders a final state (or a deletion) and waits for it. It drops the message's pending
   * progress and lands after any edit already on its way, so progress never overwrites the clip.
   */
  async settle(target: ReplyTarget, reply: Reply): Promise<void> {
    const key = keyOf(target);
    clearTimeout(this.slots.get(key)?.timer);
    this.slots.delete(key);
    if ('jobId' in reply) this.remember(`${key}|${reply.jobId}`);
    await this.inOrder(key, () => this.render(target, reply).then(() => undefined));
  }

  /** Drops pending updates (shutdown). */
  close(): void {
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  /** Sends the slot's pending edit when its interval has passed and its last edit has landed. */
  private pump(key: string, target: ReplyTarget, slot: Slot): Promise<void> {
    if (slot.busy || slot.timer || !slot.pending || this.slots.get(key) !== slot) return Promise.resolve();
    const wait = slot.lastSent + this.intervalMs - Date.now();
    if (wait > 0) {
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        void this.pump(key, target, slot);
      }, wait);
      return Promise.resolve();
    }
    const next = slot.pending;
    slot.pending = undefined;
    slot.busy = true;
    slot.lastSent = Date.now();
    return this.inOrder(key, () => this.send(target, next)).finally(() => {
      slot.busy = false;
      void this.pump(key, target, slot);
    });
  }

  /** Runs `render` after the message's previous render has finished, whatever its outcome. */
  private inOrder(key: string, render: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const rendered = previous.then(render);
    const tail = rendered.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return rendered;
  }

  private remember(key: string): void {
    const now = Date.now();
    if (this.settled.size >= 10_000) {
      for (const [k, at] of this.settled) if (now - at > SETTLED_MEMORY_MS) this.settled.delete(k);
      if (this.settled.size >= 10_000) this.settled.clear();
    }
    this.settled.set(key, now);
  }

  private async send(target: ReplyTarget, reply: Reply): Promise<void> {
    try {
      await this.render(target, reply);
    } catch (error) {
      this.onError(error, target);
    }
  }
}

/** One message's throttle: when it was last edited, its next edit, and whether an edit is on its way. */
interface Slot {
  lastSent: number;
  pending?: Reply;
  timer?: NodeJS.Timeout;
  busy: boolean;
}

/** A reply's key: its stable id, not its handle, which changes when its message moves. */
function keyOf(target: ReplyTarget): string {
  return `${target.platform}|${target.replyId}`;
}
