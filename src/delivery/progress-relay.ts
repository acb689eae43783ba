import type { Queue, QueueEvents } from 'bullmq';
import type { GenerateJobData, GenerateProgressData } from '../core/index.ts';
import type { ReplyCoalescer } from './reply-coalescer.ts';

/**
 * Relays worker progress from QueueEvents to the reply of each job, through the coalescer (so the
 * platform sees at most one edit per interval and always the latest state).
 */
export function relayProgress(
  events: QueueEvents,
  queue: Queue<GenerateJobData>,
  coalescer: ReplyCoalescer,
): () => void {
  const targets = new Map<string, GenerateJobData['target']>();
  const onProgress = async ({ jobId, data }: { jobId: string; data: unknown }) => {
    const progress = data as GenerateProgressData;
    let target = targets.get(jobId);
    if (!target) {
      target = (await queue.getJob(jobId))?.data.target;
      if (!target) return;
      targets.set(jobId, target);
    }
    void coalescer.update(target, { kind: 'running', jobId, ...progress });
  };
  const forget = ({ jobId }: { jobId: string }) => targets.delete(jobId);
  events.on('progress', onProgress);
  events.on('completed', forget);
  events.on('failed', forget);
  return () => {
    events.off('progress', onProgress);
    events.off('completed', forget);
    events.off('failed', forget);
  };
}
