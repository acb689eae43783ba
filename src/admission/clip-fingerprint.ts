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
  /** The start image's SHA-256 (image to video): another picture is another clip. */
  image?: string;
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
    ...(identity.caption || identity.image ? [identity.caption ?? ''] : []),
    ...(identity.image ? [identity.image] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

/**
 * A clip's identity without its seed and upload limit: what a request that names no seed asks for.
 * Any clip with this identity answers it (the warm cache), whatever seed it was rendered with, as
 * long as its bytes fit the requester's upload limit.
 */
export type SeedlessIdentity = Omit<ClipIdentity, 'seed' | 'uploadLimitBytes'>;

/** The digest of a {@link SeedlessIdentity}; never equal to a {@link clipFingerprint}. */
export function seedlessFingerprint(identity: SeedlessIdentity): string {
  const canonical = JSON.stringify([
    'seedless',
    identity.model,
    identity.prompt,
    identity.negativePrompt,
    identity.steps,
    identity.guidance,
    identity.tier,
    identity.caption ?? '',
    ...(identity.image ? [identity.image] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 40);
}

/** What admission and the warm cache both know of a request once its defaults are filled in. */
export interface IdentityFacts {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps?: number;
  guidance?: number;
  /** The quality it renders at: as asked, or the tenant's default tier when it named none. */
  quality: string;
  caption?: string;
  startImage?: { sha256: string };
}

/**
 * The identity of a request's clip. Unset steps and guidance stand as 0 and -1 (the model fills
 * them in), so one function serves admission and the warm cache and the two always agree.
 */
export function clipIdentityOf(facts: IdentityFacts, model: string, uploadLimitBytes: number): ClipIdentity {
  return {
    model,
    prompt: facts.prompt,
    negativePrompt: facts.negativePrompt,
    seed: facts.seed,
    steps: facts.steps ?? 0,
    guidance: facts.guidance ?? -1,
    tier: facts.quality,
    uploadLimitBytes,
    caption: facts.caption ?? '',
    ...(facts.startImage ? { image: facts.startImage.sha256 } : {}),
  };
}
