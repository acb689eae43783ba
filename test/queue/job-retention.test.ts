import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, QueueEvents, Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts, type SpineParts } from '../../src/app/index.ts';
import { deliverQueueName } from '../../src/delivery/index.ts';
import type { JobRetention } from '../../src/queue/index.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const silent = pino({ level: 'silent' });

describe('finished generate and deliver jobs expire', () => {
  const redis = useLocalRedis();
  const open: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const closable of open.splice(0).reverse()) await closable.close();
  });

  /** The spine's queues with `retention`, and workers that end each job at once (a job whose data says `fail` fails). */
  async function spine(retention: JobRetention): Promise<{ parts: SpineParts; events: QueueEvents }> {
    const parts = createSpineParts(redis.client(), {
      prefix: `k${randomUUID().slice(0, 8)}`,
      limits: DEFAULT_ADMISSION_LIMITS,
      retention,
      logger: silent,
    });
    open.push(parts);
    const end = async (job: Job<{ prompt?: string }>) => {
      if (job.data.prompt === 'fail') throw new Error('failed on purpose (test)');
      return 'ok';
    };
    const options = { connection: redis.client(), prefix: parts.prefix };
    open.push(new Worker('generate', end, options));
    open.push(new Worker(deliverQueueName('playground'), end, { ...options, connection: redis.client() }));
    const events = new QueueEvents('generate', { connection: redis.client(), prefix: parts.prefix });
    open.push(events);
    await events.waitUntilReady();
    return { parts, events };
  }

  /** Adds a generate job as the bot does (through the queue's own defaults) and waits for its end. */
  async function run(parts: SpineParts, events: QueueEvents, id: string, prompt = 'a red ball') {
    const job = await parts.generate.add('generate', generateJob({ prompt }), { jobId: id });
    await job.waitUntilFinished(events, 10_000).catch(() => undefined);
  }

  const ids = async (parts: SpineParts, state: 'completed' | 'failed') =>
    (await parts.generate.getJobs([state])).map((j) => j.id).sort();

  it('keeps at most the configured count of completed and of failed generate jobs, the newest', async () => {
    const { parts, events } = await spine({
      completed: { ageMs: 3_600_000, count: 2 },
      failed: { ageMs: 3_600_000, count: 1 },
    });
    for (const id of ['c1', 'c2', 'c3']) await run(parts, events, id);
    for (const id of ['f1', 'f2']) await run(parts, events, id, 'fail');
    expect(await ids(parts, 'completed')).toEqual(['c2', 'c3']);
    expect(await ids(parts, 'failed')).toEqual(['f2']);
    expect(await parts.generate.getJob('c1')).toBeUndefined();
    expect(await parts.redis.exists(`${parts.prefix}:generate:c1`)).toBe(0);
  });

  it('removes a completed generate job older than the configured age once another one finishes', async () => {
    const { parts, events } = await spine({
      completed: { ageMs: 1_000, count: 1_000 },
      failed: { ageMs: 1_000, count: 1_000 },
    });
    await run(parts, events, 'old');
    await run(parts, events, 'old-failed', 'fail');
    await sleep(1_100);
    await run(parts, events, 'new');
    await run(parts, events, 'new-failed', 'fail');
    expect(await ids(parts, 'completed')).toEqual(['new']);
    expect(await ids(parts, 'failed')).toEqual(['new-failed']);
  });

  it('removes delivered replies past the configured count and age (each final reply is a deliver job)', async () => {
    const { parts } = await spine({
      completed: { ageMs: 1_000, count: 2 },
      failed: { ageMs: 1_000, count: 2 },
    });
    const deliver = parts.deliver.get('playground');
    if (!deliver) throw new Error('no playground deliver queue');
    const deliverEvents = new QueueEvents(deliverQueueName('playground'), {
      connection: redis.client(),
      prefix: parts.prefix,
    });
    open.push(deliverEvents);
    await deliverEvents.waitUntilReady();
    const end = async (jobId: string) => {
      // How a job's final reply is queued: through JobEndings, as the worker and the bot do.
      await parts.endings.cancelled(jobId, generateJob({ fingerprint: `fp-${jobId}` }));
      await (await deliver.getJob(`deliver-${jobId}`))?.waitUntilFinished(deliverEvents, 10_000);
    };
    for (const id of ['j1', 'j2', 'j3']) await end(id);
    const delivered = async () => (await deliver.getJobs(['completed'])).map((j) => j.id).sort();
    expect(await delivered()).toEqual(['deliver-j2', 'deliver-j3']);
    await sleep(1_100);
    await end('j4');
    expect(await delivered()).toEqual(['deliver-j4']);
  });
});
