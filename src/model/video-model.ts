import type { FrameSequence } from '../../src/media/index.ts';
import type { QualityTier } from './manifest.ts';
import type { StartImage } from './start-image.ts';

/** What to generate. Omitted options take the model's defaults (tier, its steps, guidance). */
export interface GenerateRequest {
  prompt: string;
  /** Steers away from this text (the unconditional branch of guidance). */
  negativePrompt?: string;
  seed?: number;
  steps?: number;
  guidance?: number;
  tier?: string;
  /** A picture to start from (image to video); only models whose manifest names a start image take one. */
  startImage?: StartImage;
}

/** Reported after every sampler step. */
export interface GenerateProgress {
  step: number;
  totalSteps: number;
  elapsedMs: number;
  /** Estimated time until the frames are ready, decoding included. */
  etaMs: number;
  tier: string;
}

export interface GenerateOptions {
  onProgress?: (progress: GenerateProgress) => void;
  /** Checked between steps: an abort stops within one step. */
  signal?: AbortSignal;
  /** Absolute time (ms since the epoch) after which generation stops with DEADLINE_EXCEEDED. */
  deadline?: number;
}

export interface GeneratedVideo {
  frames: FrameSequence;
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  tier: QualityTier;
  /** Prompt words the model does not know; they were ignored. */
  unknownWords: string[];
  provider: string;
  timings: { textMs: number; sampleMs: number; decodeMs: number; totalMs: number };
}

/**
 * The worker's one view of a model: a request, progress callback and AbortSignal in, frames out.
 * The ONNX pipeline implements it; an inference-server backend can implement it the same way.
 */
export interface VideoModel {
  readonly name: string;
  readonly tiers: readonly QualityTier[];
  readonly defaultTier: string;
  readonly fps: number;
  /** The longest one generation may run, in ms (the manifest's limits.maxRunMs); unset: 10 minutes. */
  readonly maxRunMs?: number;
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo>;
  /**
   * Free memory where the model runs, in MiB, when the backend can tell (an inference server's GPU):
   * the worker picks tiers by it. Unset: the worker's own budget or free RAM.
   */
  freeMemoryMB?(): Promise<number | undefined>;
  dispose(): Promise<void>;
}
