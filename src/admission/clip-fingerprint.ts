import { createHash } from 'node:crypto';

/**
 * Everything that decides a clip's bytes: two requests with the same fingerprint get the same MP4.
 * The upload limit is part of it, so a clip encoded for a larger limit never reaches a requester
 * whose platform would refuse it.
 */
export interface ClipIdentity {
  model: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  tier: string;
  uploadLimitBytes: number;
  /** Burned into the picture: another caption is another clip. */
  caption?: string;
}

/** A stable hex digest of the identity (keys in a fixed order, so field order never matters). */
export function clipFingerprint(identity: ClipIdentity): string {
  const canonical = JSON.stringify([
    identity.model,
    identity.prompt,
    identity.negativePrompt,
    identity.seed,
    identity.steps,
    identity.guidance,
    identity.tier,
    identity.uploadLimitBytes,
    // Only when set, so every clip made before captions keeps its fingerprint.
    ...(identity.caption ? [identity.caption] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}
