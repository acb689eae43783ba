import type { Logger } from 'pino';
import {
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  PipelineError,
  PipelineErrorCode,
  type QualityTier,
  type VideoModel,
} from '../../src/model/index.ts';
import { lowerTier } from './tier-choice.ts';

/** A finished generation and every tier it gave up on, in order, with the reason. */
export interface FallbackResult {
  video: GeneratedVideo;
  droppedTiers: { tier: string; reason: string }[];
}

/**
 * Generates at `tier`; on an out-of-memory error drops one tier and retries in the same process,
 * down to the cheapest. Any other error, or out-of-memory at the cheapest tier, is thrown.
 */
export async function generateWithFallback(
  model: VideoModel,
  request: Omit<GenerateRequest, 'tier' | 'steps'> & { steps?: number },
  tier: QualityTier,
  options: GenerateOptions & { logger?: Logger } = {},
): Promise<FallbackResult> {
  const droppedTiers: FallbackResult['droppedTiers'] = [];
  let current: QualityTier | undefined = tier;
  while (current) {
    try {
      const video = await model.generate({ ...request, tier: current.name }, options);
      return { video, droppedTiers };
    } catch (error) {
      const outOfMemory = error instanceof PipelineError && error.code === PipelineErrorCode.OutOfMemory;
      const next: QualityTier | undefined = outOfMemory ? lowerTier(model.tiers, current) : undefined;
      if (!next) throw error;
      options.logger?.warn({ tier: current.name, next: next.name }, 'out of memory, dropping a tier');
      droppedTiers.push({ tier: current.name, reason: 'ran out of memory' });
      current = next;
    }
  }
  throw new PipelineError(PipelineErrorCode.InferenceFailed, 'no tier left to try');
}
