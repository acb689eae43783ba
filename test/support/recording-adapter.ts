import type {
  ChatAdapter,
  NoticeTarget,
  Platform,
  RenderResult,
  ReplyTarget,
  RequestHandler,
  ShownReply,
} from '../../src/core/index.ts';

/** A message target on `platform` whose reply id and message id are `id`. */
export function messageTarget(id: string, platform: Platform = 'playground'): ReplyTarget {
  return { platform, kind: 'message', replyId: id, handle: { messageId: id } };
}

/**
 * The in-process test adapter behind the real port: it records every reply and notice it is asked
 * to show, and can be told to fail the next renders.
 */
export class RecordingAdapter implements ChatAdapter {
  readonly rendered: { target: ReplyTarget; reply: ShownReply; at: number }[] = [];
  readonly notices: { to: NoticeTarget; message: string }[] = [];
  handler?: RequestHandler;
  failNext = 0;

  constructor(readonly platform: Platform = 'playground') {}

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
  }

  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform unavailable (test)');
    }
    this.rendered.push({ target, reply, at: Date.now() });
    return undefined;
  }

  async notify(to: NoticeTarget, message: string): Promise<void> {
    this.notices.push({ to, message });
  }

  connected(): boolean {
    return true;
  }

  async stop(): Promise<void> {}
}
