import { UnrecoverableError } from 'bullmq';

/**
 * Why a running job's AbortSignal fired: `cancel` (someone pressed Cancel: the job ends as
 * cancelled) or `hand-back` (the worker is shutting down: the job goes back to the queue and starts
 * again on the next worker).
 */
export type StopReason = 'cancel' | 'hand-back';

const REASONS: readonly StopReason[] = ['cancel', 'hand-back'];

/** The reason a job's signal was aborted with, or undefined when it was not aborted by us. */
export function stopReasonOf(signal: AbortSignal | undefined): StopReason | undefined {
  if (!signal?.aborted) return undefined;
  return REASONS.find((reason) => reason === signal.reason) ?? 'cancel';
}

/** The error a cancelled job fails with: never retried, and ended as "cancelled", not "failed". */
export class JobCancelledError extends UnrecoverableError {
  override readonly name = 'JobCancelledError';
  constructor(why = 'cancelled by request') {
    super(why);
  }
}
