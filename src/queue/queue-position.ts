import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Where a job stands: 1 is next to start; `running` once a worker has it. */
export type QueuePosition = { state: 'waiting'; position: number } | { state: 'running' } | { state: 'gone' };

/**
 * Position of a waiting job. BullMQ keeps prioritized jobs in a sorted set scored by priority and
 * insertion order, so its rank is the position; plain waiting jobs (no priority) run first. `client`
 * is a connection to the queue's Redis (BullMQ 6 hides its own behind a backend).
 */
export async function queuePosition(queue: Queue, client: Redis, jobId: string): Promise<QueuePosition> {
  const [rank, plainWaiting, active] = await Promise.all([
    client.zrank(queue.toKey('prioritized'), jobId),
    client.llen(queue.toKey('wait')),
    client.lpos(queue.toKey('active'), jobId),
  ]);
  if (rank !== null) return { state: 'waiting', position: plainWaiting + rank + 1 };
  if (active !== null) return { state: 'running' };
  const inPlainList = await client.lpos(queue.toKey('wait'), jobId);
  if (inPlainList !== null) return { state: 'waiting', position: plainWaiting - inPlainList };
  return { state: 'gone' };
}
