import { Queue, QueueEvents, Worker } from 'bullmq';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RedisArtifactStore } from '../../src/artifacts/index.ts';
import type { DeliverJobData, Reply, ReplyTarget } from '../../src/core/index.ts';
import {
  createDeliveryProcessor,
  deliverQueueName,
  joinedTargetsKey,
  ReplyCoalescer,
} from '../../src/delivery/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const target: ReplyTarget = { platform: 'playground', handle: { messageId: 'm1' } };
const delivery = (jobId: string): DeliverJobData => ({
  outcome: 'clip',
  jobId,
  target,
  prompt: 'a red ball',
  artifactKey: `clip-${jobId}`,
  fileName: 'clipbot-7.mp4',
  seed: 7,
  tier: 'low',
  elapsedMs: 1234,
});

describe('delivery through the deliver queue on a real Redis', () => {
  const redis = useLocalRedis();

  async function setup() {
    const prefix = `d${Date.now()}${Math.random()}`;
    const connection = redis.client();
    const name = deliverQueueName('playground');
    const queue = new Queue<DeliverJobData>(name, { connection, prefix });
    const events = new QueueEvents(name, { connection: redis.client(), prefix });
    await events.waitUntilReady();
    const artifacts = new RedisArtifactStore(connection, 60_000, `${prefix}:a:`);
    const adapter = new RecordingAdapter();
    const worker = new Worker<DeliverJobData>(
      name,
      createDeliveryProcessor({
        platform: 'playground',
        adapter,
        artifacts,
        redis: connection,
        logger: pino({ level: 'silent' }),
        prefix,
      }),
      { connection: redis.client(), prefix },
    );
    return { queue, events, artifacts, adapter, worker, connection, prefix };
  }

  it('posts the stored MP4 bytes once, even when the same delivery is run twice', async () => {
    const { queue, events, artifacts, adapter, worker } = await setup();
    const bytes = Buffer.from('not really an mp4 but bytes all the same');
    await artifacts.put('clip-j1', bytes);
    const first = await queue.add('deliver', delivery('j1'), { jobId: 'deliver-j1' });
    expect(await first.waitUntilFinished(events, 10_000)).toBe('delivered');
    const rerun = await queue.add('deliver', delivery('j1'), { jobId: 'deliver-j1-rerun' });
    expect(await rerun.waitUntilFinished(events, 10_000)).toBe('already-delivered');
    expect(adapter.rendered).toHaveLength(1);
    const reply = adapter.rendered[0]?.reply;
    expect(reply?.kind).toBe('done');
    if (reply?.kind === 'done') expect(Buffer.compare(Buffer.from(reply.clip.bytes), bytes)).toBe(0);
    await worker.close();
    await events.close();
  });

  it('a failed or cancelled job tells its requester and every request that joined it, once', async () => {
    const { queue, events, adapter, worker, connection, prefix } = await setup();
    const joiner: ReplyTarget = { platform: 'playground', handle: { messageId: 'm2' } };
    await connection.rpush(joinedTargetsKey(prefix, 'j3'), JSON.stringify(joiner));
    const failed = await queue.add(
      'deliver',
      { outcome: 'failed', jobId: 'j3', target, prompt: 'p', message: 'The GPU ran out of memory.' },
      { jobId: 'deliver-j3' },
    );
    expect(await failed.waitUntilFinished(events, 10_000)).toBe('delivered');
    const cancelled = await queue.add(
      'deliver',
      { outcome: 'cancelled', jobId: 'j4', target, prompt: 'p' },
      { jobId: 'deliver-j4' },
    );
    expect(await cancelled.waitUntilFinished(events, 10_000)).toBe('delivered');
    expect(adapter.rendered.map(({ target: to, reply }) => ({ target: to, reply }))).toEqual([
      { target, reply: { kind: 'failed', jobId: 'j3', message: 'The GPU ran out of memory.' } },
      { target: joiner, reply: { kind: 'failed', jobId: 'j3', message: 'The GPU ran out of memory.' } },
      { target, reply: { kind: 'cancelled', jobId: 'j4' } },
    ]);
    await worker.close();
    await events.close();
  });

  it('when the platform fails, then the delivery is retried with backoff until it gets through', async () => {
    const { queue, events, artifacts, adapter, worker } = await setup();
    await artifacts.put('clip-j2', Buffer.from('clip'));
    adapter.failNext = 2;
    const job = await queue.add('deliver', delivery('j2'), {
      jobId: 'deliver-j2',
      attempts: 5,
      backoff: { type: 'fixed', delay: 50 },
    });
    expect(await job.waitUntilFinished(events, 10_000)).toBe('delivered');
    expect(adapter.rendered).toHaveLength(1);
    await worker.close();
    await events.close();
  });
});

describe('the reply coalescer', () => {
  const running = (step: number): Reply => ({
    kind: 'running',
    jobId: 'j',
    step,
    totalSteps: 20,
    tier: 'low',
    etaMs: 0,
  });

  it('sends at most one edit per interval, the newest state, and the final state at once', async () => {
    const sent: { reply: Reply; at: number }[] = [];
    const coalescer = new ReplyCoalescer(async (_t, reply) => {
      sent.push({ reply, at: Date.now() });
    }, 100);
    for (let step = 1; step <= 10; step++) {
      coalescer.update(target, running(step));
      await new Promise((r) => setTimeout(r, 25));
    }
    coalescer.update(target, { kind: 'failed', jobId: 'j', message: 'x' });
    await new Promise((r) => setTimeout(r, 150));
    const steps = sent.map((s) => (s.reply.kind === 'running' ? s.reply.step : s.reply.kind));
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe('failed');
    expect(sent.length).toBeLessThanOrEqual(5);
    const progressGaps = sent.slice(1, -1).map((s, i) => s.at - (sent[i] as { at: number }).at);
    expect(progressGaps.every((gap) => gap >= 95)).toBe(true);
    // steps only move forward: a stale update never overwrites a newer one
    const numeric = steps.filter((s): s is number => typeof s === 'number');
    expect([...numeric].sort((a, b) => a - b)).toEqual(numeric);
    coalescer.close();
  });
});
