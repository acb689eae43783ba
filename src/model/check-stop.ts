import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';
import type { GenerateOptions } from './video-model.ts';

/** Aborted when the job's signal has fired, DeadlineExceeded when its deadline has passed, else nothing. */
export function stopError(options: GenerateOptions): PipelineError | undefined {
  if (options.signal?.aborted) {
    return new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled', {
      cause: options.signal.reason,
    });
  }
  if (options.deadline !== undefined && Date.now() > options.deadline) {
    return new PipelineError(PipelineErrorCode.DeadlineExceeded, 'generation passed its deadline');
  }
  return undefined;
}

/** Throws the job's stopError, if it has one. */
export function checkStop(options: GenerateOptions): void {
  const error = stopError(options);
  if (error) throw error;
}
