import {
  type ChatAdapter,
  isFinal,
  type RenderResult,
  type Reply,
  type ReplyTarget,
  type RequestHandler,
} from '../../../src/core/index.ts';

/** A reply as rendered, and when (performance.now(), ms). */
export interface RenderedReply {
  reply: Reply;
  at: number;
}

/**
 * The bench's in-process adapter behind the real port: renders nothing, records each reply's
 * moment per message id, and lets the bench wait for a message's final reply.
 */
export class TimingAdapter implements ChatAdapter {
  readonly platform = 'playground' as const;
  private readonly replies = new Map<string, RenderedReply[]>();
  private readonly waiters = new Map<string, (reply: RenderedReply) => void>();

  /** The target for a message id. */
  static target(messageId: string): ReplyTarget {
    return { platform: 'playground', kind: 'message', replyId: messageId, handle: { messageId } };
  }

  async start(_handler: RequestHandler): Promise<void> {}

  async render(target: ReplyTarget, reply: Reply): Promise<RenderResult> {
    const at = performance.now();
    const id = String(target.handle.messageId);
    const rendered = { reply, at };
    this.replies.set(id, [...(this.replies.get(id) ?? []), rendered]);
    if (isFinal(reply)) this.waiters.get(id)?.(rendered);
    return undefined;
  }

  async notify(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  async stop(): Promise<void> {}

  /** The first reply of `kind` for the message, if rendered. */
  first(messageId: string, kind: Reply['kind']): RenderedReply | undefined {
    return this.replies.get(messageId)?.find((r) => r.reply.kind === kind);
  }

  /** The message's final reply (done, failed, cancelled, refused); rejects after `timeoutMs`. */
  final(messageId: string, timeoutMs: number): Promise<RenderedReply> {
    const already = this.replies.get(messageId)?.find((r) => isFinal(r.reply));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(messageId);
        const kinds = (this.replies.get(messageId) ?? []).map((r) => r.reply.kind).join(', ') || 'none';
        reject(new Error(`no final reply for ${messageId} within ${timeoutMs / 1000} s (replies: ${kinds})`));
      }, timeoutMs);
      timer.unref(); // a bench that already failed elsewhere should not wait this out
      this.waiters.set(messageId, (reply) => {
        clearTimeout(timer);
        this.waiters.delete(messageId);
        resolve(reply);
      });
    });
  }
}
