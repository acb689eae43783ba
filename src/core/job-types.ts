import type { ReplyTarget } from './chat-adapter.ts';
import type { QualityChoice } from './video-request.ts';

/** A validated request as the queue and the buttons need it: what to make, for whom. */
interface RequestFacts {
  requestId: string;
  tenantKey: string;
  /** Who asked: Cancel and Delete compare the presser with it. */
  userKey: string;
  /** Where it was asked: anyone pressing in this channel saw a public reply (Reroll). */
  channelId: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps?: number;
  guidance?: number;
  /** As asked: 'auto' or one of the model's tiers. */
  quality: QualityChoice;
  /** Only the requester sees the replies (Discord ephemeral, Slack ephemeral or DM). */
  private: boolean;
  /** Text burned into the clip, cleaned and checked like the prompt. */
  caption?: string;
  /** The picture the clip starts from (image to video), kept in the artifact store, not in job data. */
  startImage?: StoredImage;
}

/** An attached picture that passed admission, kept in the artifact store under `key`. */
export interface StoredImage {
  key: string;
  /** Of the bytes: part of the clip's fingerprint. */
  sha256: string;
  /** What the user called it, for messages. */
  name: string;
  /** `png`, `jpeg` or `webp`, read from the bytes themselves. */
  format: string;
  width: number;
  height: number;
}

/** Data of a "generate" job: a validated request plus where its replies go. */
export interface GenerateJobData extends RequestFacts {
  /** The requester's upload limit: the worker encodes to fit it (part of the clip fingerprint). */
  uploadLimitBytes: number;
  target: ReplyTarget;
  fingerprint: string;
  fairTag: number;
  /** Times the model's process died while it held this job; each time the job went back to the queue. */
  modelRestarts?: number;
}

/**
 * What the core remembers of each accepted request (queued, joined or answered from the cache),
 * keyed by its reply: the buttons on that reply act on it.
 */
export interface ReplyRecord extends RequestFacts {
  /** The generate job that makes the clip (for a cached answer, the one that made it). */
  jobId: string;
}

/** Progress a worker reports through job.updateProgress, a few times a second at most. */
export interface GenerateProgressData {
  step: number;
  totalSteps: number;
  tier: string;
  etaMs: number;
}

/** What every "deliver" job carries: which request it ends and where its replies go. */
interface DeliveryBase {
  jobId: string;
  target: ReplyTarget;
  prompt: string;
}

/** A finished clip waiting in the artifact store for its reply. */
export interface ClipDelivery extends DeliveryBase {
  outcome: 'clip';
  artifactKey: string;
  fileName: string;
  seed: number;
  tier: string;
  fallback?: { from: string; reason: string };
  elapsedMs: number;
}

/**
 * Data of a "deliver" job: the one final reply of a generate job, whether it made a clip, failed
 * (with user-facing text) or was cancelled.
 */
export type DeliverJobData =
  | ClipDelivery
  | (DeliveryBase & { outcome: 'failed'; message: string })
  | (DeliveryBase & { outcome: 'cancelled' });
