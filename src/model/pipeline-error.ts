import { CodedError } from '../../src/core/index.ts';

/** Why the model pipeline refused or failed; stable strings for logs, metrics and user replies. */
export enum PipelineErrorCode {
  ManifestNotFound = 'MANIFEST_NOT_FOUND',
  ManifestInvalid = 'MANIFEST_INVALID',
  ModelFileMissing = 'MODEL_FILE_MISSING',
  ModelFileCorrupt = 'MODEL_FILE_CORRUPT',
  TierUnknown = 'TIER_UNKNOWN',
  InvalidOptions = 'INVALID_OPTIONS',
  NoProvider = 'NO_EXECUTION_PROVIDER',
  OutOfMemory = 'OUT_OF_MEMORY',
  Aborted = 'ABORTED',
  DeadlineExceeded = 'DEADLINE_EXCEEDED',
  InferenceFailed = 'INFERENCE_FAILED',
  /** The model's process died while it held the job (a crash, the OOM killer) and is being started again. */
  ModelRestarted = 'MODEL_RESTARTED',
  /** The inference server (ComfyUI) cannot be reached, or restarted and lost the job. */
  ServerUnavailable = 'SERVER_UNAVAILABLE',
  /** The inference server refused the workflow (a missing model file, a bad input). */
  ServerRefused = 'SERVER_REFUSED',
}

/** A pipeline failure whose message says what is wrong and where. */
export class PipelineError extends CodedError<PipelineErrorCode> {
  override readonly name = 'PipelineError';
}

const OUT_OF_MEMORY = /out of memory|failed to allocate|bad_alloc|cudaErrorMemoryAllocation|OOM/i;

/** Wraps an error thrown by onnxruntime during a run; allocation failures become OutOfMemory. */
export function toInferenceError(error: unknown, what: string): PipelineError {
  if (error instanceof PipelineError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const code = OUT_OF_MEMORY.test(text) ? PipelineErrorCode.OutOfMemory : PipelineErrorCode.InferenceFailed;
  return new PipelineError(code, `${what} failed: ${text}`, { cause: error });
}
