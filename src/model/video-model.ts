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
  /**
   * Where the job stands in the queue's fair order, compared element by element (its fair tag, then
   * when it was queued): a worker that batches jobs never runs a later one before an earlier one.
   */
  queueOrder?: readonly number[];
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

/** One generation of a batch: its request and its own progress, cancel and deadline. */
export interface BatchItem {
  request: GenerateRequest;
  options: GenerateOptions;
}

/** A model that can run several compatible generations in one call a step (micro-batching). */
export interface BatchingVideoModel extends VideoModel {
  /**
   * Requests with the same key can share a batch (same tier, steps and frame count); undefined: the
   * request runs alone (an invalid one, say, which then fails on its own).
   */
  batchKey(request: GenerateRequest): string | undefined;
  /**
   * Runs the items together, one promise each, in order. Each settles on its own: a cancelled or late
   * item leaves at the next step while the others go on, and each resolves as soon as its frames are
   * decoded. An error in a shared call (out of memory, say) rejects every item still running.
   */
  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[];
}

export function canBatch(model: VideoModel): model is BatchingVideoModel {
  const m = model as Partial<BatchingVideoModel>;
  return typeof m.batchKey === 'function' && typeof m.generateBatch === 'function';
}
