import { randomSeed } from '../../src/core/index.ts';
import { findTier, type ModelManifest, type QualityTier, takesStartImage } from './manifest.ts';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';
import { SEED_MAX } from './seed-range.ts';
import type { GenerateRequest } from './video-model.ts';

export interface ResolvedRequest {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  tier: QualityTier;
}

/** Fills defaults from the manifest and rejects out-of-range options with a message naming the range. */
export function resolveRequest(manifest: ModelManifest, request: GenerateRequest): ResolvedRequest {
  const tier = findTier(manifest, request.tier ?? manifest.defaults.tier);
  const { minSteps, maxSteps, maxGuidance } = manifest.limits;
  const steps = request.steps ?? tier.steps;
  if (!Number.isInteger(steps) || steps < minSteps || steps > maxSteps) {
    throw invalid(`steps must be a whole number from ${minSteps} to ${maxSteps}, got ${steps}`);
  }
  const guidance = request.guidance ?? manifest.defaults.guidance;
  if (!Number.isFinite(guidance) || guidance < 0 || guidance > maxGuidance) {
    throw invalid(`guidance must be from 0 to ${maxGuidance}, got ${guidance}`);
  }
  const seed = request.seed ?? randomSeed();
  if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw invalid(`seed must be a whole number from 0 to ${SEED_MAX}, got ${seed}`);
  }
  if (typeof request.prompt !== 'string') throw invalid('prompt must be text');
  if (request.startImage && !takesStartImage(manifest))
    throw invalid(`model ${manifest.name} makes clips from text only; it cannot start from a picture`);
  return {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt ?? '',
    seed,
    steps,
    guidance,
    tier,
  };
}

function invalid(message: string): PipelineError {
  return new PipelineError(PipelineErrorCode.InvalidOptions, message);
}

/** The key under which requests may share a batch: one tier, one step count (so one frame count). */
export function batchKeyOf(req: ResolvedRequest): string {
  return `${req.tier.name}:${req.tier.width}x${req.tier.height}x${req.tier.frames}:${req.steps}`;
}

/** A request's batch key under `manifest`; undefined for a request that cannot run (it fails alone). */
export function requestBatchKey(manifest: ModelManifest, request: GenerateRequest): string | undefined {
  try {
    return batchKeyOf(resolveRequest(manifest, request));
  } catch {
    return undefined;
  }
}
