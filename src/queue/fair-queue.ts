import type { Job, Queue } from 'bullmq';
import type { FairOrder } from './fair-order.ts';

/** Job data the fair queue adds: the tag that is the job's priority. */
export interface FairJobData {
  fairTag: number;
}

/**
 * Adds a job behind every other tenant's earlier waiting jobs. `jobId` makes the add idempotent:
 * adding the same id again returns the existing job (BullMQ ignores duplicate ids).
 */
export async function addFairJob<T extends object>(
  queue: Queue,
  fair: FairOrder,
  input: { tenantKey: string; jobId: string; name: string; data: T },
): Promise<Job<T & FairJobData>> {
  const waiting = await queue.getJobCountByTypes('waiting', 'prioritized');
  const fairTag = await fair.tagFor(input.tenantKey, waiting);
  return (await queue.add(
    input.name,
    { ...input.data, fairTag },
    { jobId: input.jobId, priority: fairTag },
  )) as Job<T & FairJobData>;
}
