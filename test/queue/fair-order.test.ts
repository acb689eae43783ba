import { type Job, Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  addFairJob,
  type FairJobData,
  FairOrder,
  queuePosition,
  RunTimeAverage,
} from '../../src/queue/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';

describe('fair order across tenants on a real BullMQ queue', () => {
  const redis = useLocalRedis();
  const connect = () => redis.client();

  it("when tenant A queues 10 jobs and then tenant B one, then B's job starts before A's third", async () => {
    const prefix = `t${Date.now()}`;
    const connection = connect();
    const queue = new Queue('generate', { connection, prefix });
    const fair = new FairOrder(connection, prefix);
    for (let i = 0; i < 10; i++) {
      await addFairJob(queue, fair, {
        tenantKey: 'A',
        jobId: `A${i}`,
        name: 'generate',
        data: { tenant: 'A' },
      });
    }
    await addFairJob(queue, fair, { tenantKey: 'B', jobId: 'B0', name: 'generate', data: { tenant: 'B' } });

    const started: string[] = [];
    const workerConnection = connect();
    let allStarted = () => {};
    const done = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const worker = new Worker<FairJobData>(
      'generate',
      async (job: Job<FairJobData>) => {
        await fair.started(job.data.fairTag);
        started.push(job.id as string);
        if (started.length === 11) allStarted();
      },
      { connection: workerConnection, prefix, concurrency: 1 },
    );
    worker.on('error', () => undefined);
    await done;
    await worker.close();
    expect(started.indexOf('B0')).toBeLessThan(started.indexOf('A2'));
    expect(started.filter((id) => id.startsWith('A'))).toEqual(Array.from({ length: 10 }, (_, i) => `A${i}`));
    await queue.close();
    connection.disconnect();
  });

  it('when a busy tenant keeps adding, then a newcomer goes ahead of its next job', async () => {
    const prefix = `n${Date.now()}`;
    const connection = connect();
    const queue = new Queue('generate', { connection, prefix });
    const fair = new FairOrder(connection, prefix);
    const tags: Record<string, number> = {};
    for (let i = 0; i < 5; i++) {
      const job = await addFairJob(queue, fair, { tenantKey: 'A', jobId: `A${i}`, name: 'g', data: {} });
      tags[job.id as string] = job.data.fairTag;
    }
    await fair.started(tags.A2 as number); // A0..A2 have run
    const late = await addFairJob(queue, fair, { tenantKey: 'C', jobId: 'C0', name: 'g', data: {} });
    const again = await addFairJob(queue, fair, { tenantKey: 'A', jobId: 'A5', name: 'g', data: {} });
    expect(late.data.fairTag).toBe((tags.A2 as number) + 1);
    expect(again.data.fairTag).toBe((tags.A4 as number) + 2);
    // A0..A2 never started in this test, so they still wait ahead of everyone.
    expect(await queuePosition(queue, connection, 'A0')).toEqual({ state: 'waiting', position: 1 });
    expect(await queuePosition(queue, connection, 'C0')).toEqual({ state: 'waiting', position: 4 });
    expect(await queuePosition(queue, connection, 'A3')).toEqual({ state: 'waiting', position: 5 });
    expect(await queuePosition(queue, connection, 'A5')).toEqual({ state: 'waiting', position: 7 });
    expect(await queuePosition(queue, connection, 'nope')).toEqual({ state: 'gone' });
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it('estimates waits from a moving average of recent run times', async () => {
    const connection = connect();
    const average = new RunTimeAverage(connection, `avg${Date.now()}`, 5_000);
    expect(await average.averageMs()).toBe(5_000);
    await average.record(1_000);
    await average.record(2_000);
    expect(await average.averageMs()).toBe(1_200);
    expect(await average.etaMs(3)).toBe(4_200);
    expect(await average.etaMs(3, 3)).toBe(1_800);
    connection.disconnect();
  });
});
