import type { Reply, ReplyTarget } from '../core/index.ts';

type Render = (target: ReplyTarget, reply: Reply) => Promise<void>;

const isFinal = (reply: Reply) => reply.kind !== 'queued' && reply.kind !== 'running';

/**
 * Throttles reply edits per message (platforms allow about one edit per 1.5-2 s) and coalesces:
 * updates that arrive inside the interval replace each other, the newest is sent when the interval
 * ends, and a final state (done, failed, cancelled, refused) always shows and ends the message.
 */
export class ReplyCoalescer {
  private readonly slots = new Map<string, { lastSent: number; pending?: Reply; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly render: Render,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, target: ReplyTarget) => void = () => {},
  ) {}

  update(target: ReplyTarget, reply: Reply): void {
    const key = JSON.stringify([target.platform, target.handle]);
    const slot = this.slots.get(key) ?? { lastSent: Number.NEGATIVE_INFINITY };
    this.slots.set(key, slot);
    if (isFinal(reply)) {
      clearTimeout(slot.timer);
      this.slots.delete(key);
      this.send(target, reply);
      return;
    }
    const wait = slot.lastSent + this.intervalMs - Date.now();
    if (wait <= 0 && !slot.timer) {
      slot.lastSent = Date.now();
      this.send(target, reply);
      return;
    }
    slot.pending = reply;
    slot.timer ??= setTimeout(
      () => {
        slot.timer = undefined;
        const next = slot.pending;
        slot.pending = undefined;
        if (next && this.slots.get(key) === slot) {
          slot.lastSent = Date.now();
          this.send(target, next);
        }
      },
      Math.max(0, wait),
    );
  }

  /** Drops pending updates (shutdown). */
  close(): void {
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private send(target: ReplyTarget, reply: Reply): void {
    this.render(target, reply).catch((error: unknown) => this.onError(error, target));
  }
}
