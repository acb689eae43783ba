import type { Queue, QueueEvents } from 'bullmq';
import type { GenerateJobData, GenerateProgressData, Platform, ReplyTarget } from '../core/index.ts';
import type { ReplyCoalescer } from './reply-coalescer.ts';

/**
 * Relays worker progress from QueueEvents to the reply of each job whose requester is on a platform
 * this bot serves (`serves`), through the coalescer (so the platform sees at most one edit per
 * interval and always the latest state). Other platforms' jobs are left to their own bots.
 */
export function relayProgress(
  events: QueueEvents,
  queue: Queue<GenerateJobData>,
  coalescer: ReplyCoalescer,
  serves: (platform: Platform) => boolean,
): () => void {
  /** Each job's target, or null when another platform's bot relays it. */
  const targets = new Map<string, ReplyTarget | null>();
  const onProgress = async ({ jobId, data }: { jobId: string; data: unknown }) => {
    let target = targets.get(jobId);
    if (target === undefined) {
      const found = (await queue.getJob(jobId))?.data.target;
      if (!found) return;
      target = serves(found.platform) ? found : null;
      targets.set(jobId, target);
    }
    if (target) void coalescer.update(target, { kind: 'running', jobId, ...(data as GenerateProgressData) });
  };
  const forget = ({ jobId }: { jobId: string }) => targets.delete(jobId);
  events.on('progress', onProgress);
  const ends = ['completed', 'failed', 'removed'] as const;
  for (const end of ends) events.on(end, forget);
  return () => {
    events.off('progress', onProgress);
    for (const end of ends) events.off(end, forget);
  };
}
