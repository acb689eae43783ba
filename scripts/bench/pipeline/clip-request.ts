import type { QualityChoice, ReplyTarget, VideoRequest } from '../../../src/core/index.ts';
import { TimingAdapter } from './timing-adapter.ts';

/** Prompts in the bundled model's vocabulary; the seed alone already makes each clip its own. */
const PROMPTS = [
  'a red ball moving left on a black background',
  'a blue square slides to the right against white',
  'a green star rises at night',
  'a yellow circle falls on a gray background',
  'a purple cube drifts down at dusk',
] as const;

/** One clip's request: its own user (one active job per user) and seed (no clip-cache hits). */
export interface ClipRequest {
  messageId: string;
  seed: number;
  request: VideoRequest;
  target: ReplyTarget;
}

export function clipRequest(phase: string, index: number, tier: QualityChoice, seed: number): ClipRequest {
  const messageId = `${phase}-${index}`;
  return {
    messageId,
    seed,
    target: TimingAdapter.target(messageId),
    request: {
      requestId: messageId,
      tenant: { platform: 'playground', id: 'playground' },
      user: { id: `${phase}-user-${index}` },
      channelId: 'bench',
      prompt: PROMPTS[index % PROMPTS.length] as string,
      options: { quality: tier, seed },
      receivedAt: Date.now(),
      // Discord's default upload limit.
      uploadLimitBytes: 10 * 1024 * 1024,
    },
  };
}
