import type { AdmissionLimiter } from '../admission/index.ts';
import type { GenerateJobData } from '../core/index.ts';
import type { FairOrder } from '../queue/index.ts';

/**
 * A job's start bookkeeping, when a worker takes it: the fair order's virtual clock moves to its tag,
 * and its limiter slot turns from waiting to active.
 */
export async function markJobStarted(
  parts: { fair: FairOrder; limiter: AdmissionLimiter },
  data: GenerateJobData,
  jobId: string,
): Promise<void> {
  await parts.fair.started(data.fairTag);
  await parts.limiter.markStarted(jobId, data.tenantKey);
}
