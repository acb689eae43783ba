import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';
import type { GenerateOptions } from './video-model.ts';

/** Throws Aborted when the job's signal has fired, DeadlineExceeded when its deadline has passed. */
export function checkStop(options: GenerateOptions): void {
  if (options.signal?.aborted) {
    throw new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled', {
      cause: options.signal.reason,
    });
  }
  if (options.deadline !== undefined && Date.now() > options.deadline) {
    throw new PipelineError(PipelineErrorCode.DeadlineExceeded, 'generation passed its deadline');
  }
}
