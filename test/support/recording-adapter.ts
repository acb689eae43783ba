import type { ChatAdapter, Platform, Reply, ReplyTarget, RequestHandler } from '../../src/core/index.ts';

/**
 * The in-process test adapter behind the real port (issue #3 allows one until the platform adapters
 * land): it records every reply it is asked to render, and can be told to fail the next renders.
 */
export class RecordingAdapter implements ChatAdapter {
  readonly rendered: { target: ReplyTarget; reply: Reply; at: number }[] = [];
  handler?: RequestHandler;
  failNext = 0;

  constructor(readonly platform: Platform = 'playground') {}

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
  }

  async render(target: ReplyTarget, reply: Reply): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform unavailable (test)');
    }
    this.rendered.push({ target, reply, at: Date.now() });
  }

  async stop(): Promise<void> {}
}
