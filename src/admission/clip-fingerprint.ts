import { createHash } from 'node:crypto';

/** Everything that decides a clip's pixels: two requests with the same fingerprint get the same MP4. */
export interface ClipIdentity {
  model: string;
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  tier: string;
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
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}
