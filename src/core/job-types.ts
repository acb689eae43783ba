import type { ReplyTarget } from './chat-adapter.ts';
import type { QualityChoice } from './video-request.ts';

/** Data of a "generate" job: a validated request plus where its replies go. */
export interface GenerateJobData {
  requestId: string;
  tenantKey: string;
  userKey: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps?: number;
  guidance?: number;
  quality: QualityChoice;
  uploadLimitBytes: number;
  target: ReplyTarget;
  fingerprint: string;
  fairTag: number;
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
