/** Which admission rule refused a request. */
export type RefusalReason =
  | 'invalid-input'
  /** The attached picture: not a PNG, JPEG or WebP, too large or small, unreadable, or a text-only model. */
  | 'invalid-image'
  | 'blocked-prompt'
  | 'tenant-rate-limit'
  | 'user-rate-limit'
  | 'user-busy'
  | 'tenant-queue-full'
  | 'queue-full'
  | 'channel-not-allowed'
  | 'disabled';

export interface FinishedClip {
  bytes: Uint8Array;
  /**
   * Where the bytes are kept in the spine's artifact store (set for every clip the core shows), so
   * an adapter that serves clips by address stores a reference instead of another copy.
   */
  artifactKey?: string;
  fileName: string;
  seed: number;
  tier: string;
  /** Set when the clip was rendered below the asked tier, with the reason in words. */
  fallback?: { from: string; reason: string };
  elapsedMs: number;
}

/**
 * What the bot shows for one request, from acknowledgement to the finished clip. Adapters render
 * each state in their platform's terms; a later state replaces the earlier one in place.
 */
export type Reply =
  | {
      kind: 'queued';
      jobId: string;
      position: number;
      etaMs: number;
      /** No worker is running now: the job waits until one is back (say so, not just "queued"). */
      noWorker?: true;
    }
  | { kind: 'running'; jobId: string; step: number; totalSteps: number; tier: string; etaMs: number }
  | { kind: 'done'; jobId: string; prompt: string; clip: FinishedClip }
  | { kind: 'refused'; reason: RefusalReason; message: string; retryAt?: number }
  | { kind: 'failed'; jobId: string; message: string }
  | { kind: 'cancelled'; jobId: string }
  /** The requester (or a moderator) removed the clip: the adapter deletes the message. */
  | { kind: 'deleted'; jobId: string };

/** The states that end a request: shown once, and never overwritten by progress. */
export type FinalReply = Extract<Reply, { kind: 'done' | 'refused' | 'failed' | 'cancelled' }>;

export function isFinal(reply: Reply): reply is FinalReply {
  return (
    reply.kind === 'done' || reply.kind === 'refused' || reply.kind === 'failed' || reply.kind === 'cancelled'
  );
}
