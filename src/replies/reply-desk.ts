import {
  buttonsFor,
  type ChatAdapter,
  isFinal,
  type NoticeTarget,
  type Platform,
  type Reply,
  type ReplyTarget,
} from '../core/index.ts';
import type { ReplyBook } from './reply-book.ts';

/** What happened to a reply handed to the desk. */
export type ShowOutcome = 'shown' | 'skipped';

/**
 * The one way replies reach an adapter. It keeps the port's promises for every platform: it finds
 * the message that shows the reply now (messages move), adds the buttons of the reply's state,
 * never lets progress overwrite a final state, shows a final state once (a workflow step completes
 * once, across restarts and redelivered replies), and renders nothing but final states to a
 * workflow target.
 */
export class ReplyDesk {
  constructor(
    private readonly adapterFor: (platform: Platform) => ChatAdapter | undefined,
    private readonly book: ReplyBook,
  ) {}

  async show(target: ReplyTarget, reply: Reply): Promise<ShowOutcome> {
    const final = isFinal(reply);
    if (target.kind === 'workflow' && !final) return 'skipped';
    const state = await this.book.state(target);
    if (state.ended && reply.kind !== 'deleted') return 'skipped';
    const shown = {
      ...reply,
      buttons: target.kind === 'workflow' ? [] : buttonsFor(reply, target.replyId),
      private: state.private,
    };
    const result = await this.adapter(target.platform).render(
      state.movedTo ? { ...target, handle: state.movedTo } : target,
      shown,
    );
    if (result?.movedTo) await this.book.moved(target, result.movedTo);
    if (final) await this.book.ended(target);
    return 'shown';
  }

  notify(to: NoticeTarget, message: string): Promise<void> {
    return this.adapter(to.platform).notify(to, message);
  }

  private adapter(platform: Platform): ChatAdapter {
    const adapter = this.adapterFor(platform);
    if (!adapter) throw new Error(`no ${platform} adapter in this bot process`);
    return adapter;
  }
}
