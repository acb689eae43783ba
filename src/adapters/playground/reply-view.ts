import type { RefusalReason, ReplyButton, ShownReply } from '../../core/index.ts';

/** What the page shows for one bot message: a Reply with the clip as a URL instead of bytes. */
export type ReplyView = (
  | { kind: 'queued'; jobId: string; position: number; etaMs: number; noWorker?: true }
  | { kind: 'running'; jobId: string; step: number; totalSteps: number; tier: string; etaMs: number }
  | {
      kind: 'done';
      jobId: string;
      prompt: string;
      videoUrl: string;
      downloadName: string;
      seed: number;
      tier: string;
      elapsedMs: number;
      fallback?: { from: string; reason: string };
    }
  | { kind: 'refused'; reason: RefusalReason; message: string; retryAt?: number }
  | { kind: 'failed'; jobId: string; message: string }
  | { kind: 'cancelled'; jobId: string }
  | { kind: 'notice'; message: string }
  | { kind: 'deleted'; jobId: string }
) & { buttons: readonly ReplyButton[] };

/** One line of the playground's channel, as stored and as sent to the page. */
export interface PlaygroundMessage {
  id: string;
  author: 'user' | 'bot';
  createdAt: number;
  /** The user's typed line. */
  text?: string;
  /** The name of the picture sent with the line, when one was. */
  image?: string;
  reply?: ReplyView;
}

/** The page's view of a reply; a finished clip is served from `videoUrl`. */
export function replyView(reply: ShownReply, videoUrl: string): ReplyView {
  if (reply.kind !== 'done') {
    const { private: _shownToAll, ...view } = reply; // every playground message is its user's alone
    return view;
  }
  const { clip } = reply;
  return {
    buttons: reply.buttons,
    kind: 'done',
    jobId: reply.jobId,
    prompt: reply.prompt,
    videoUrl,
    downloadName: clip.fileName,
    seed: clip.seed,
    tier: clip.tier,
    elapsedMs: clip.elapsedMs,
    ...(clip.fallback ? { fallback: clip.fallback } : {}),
  };
}
