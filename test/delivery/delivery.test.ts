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
import { ReplyBook, ReplyDesk } from '../../src/replies/index.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { messageTarget, RecordingAdapter } from '../support/recording-adapter.ts';

const target = messageTarget('m1');
const delivery = (jobId: string, to: ReplyTarget = target): DeliverJobData => ({
  outcome: 'clip',
  jobId,
  target: to,
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
    const desk = new ReplyDesk(() => adapter, new ReplyBook(connection, prefix));
    const worker = new Worker<DeliverJobData>(
      name,
      createDeliveryProcessor({
        platform: 'playground',
        show: (to, reply) => desk.show(to, reply),
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
    await first.waitUntilFinished(events, 10_000);
    const rerun = await queue.add('deliver', delivery('j1'), { jobId: 'deliver-j1-rerun' });
    await rerun.waitUntilFinished(events, 10_000);
    expect(adapter.rendered).toHaveLength(1);
    const reply = adapter.rendered[0]?.reply;
    expect(reply?.kind).toBe('done');
    if (reply?.kind === 'done') expect(Buffer.compare(Buffer.from(reply.clip.bytes), bytes)).toBe(0);
    await worker.close();
    await events.close();
  });

  it('a failed or cancelled job tells its requester and every request that joined it, once', async () => {
    const { queue, events, adapter, worker, connection, prefix } = await setup();
    const joiner = messageTarget('m2');
    await connection.rpush(joinedTargetsKey(prefix, 'j3'), JSON.stringify(joiner));
    const failed = await queue.add(
      'deliver',
      { outcome: 'failed', jobId: 'j3', target, prompt: 'p', message: 'The GPU ran out of memory.' },
      { jobId: 'deliver-j3' },
    );
    await failed.waitUntilFinished(events, 10_000);
    const cancelledTarget = messageTarget('m3');
    const cancelled = await queue.add(
      'deliver',
      { outcome: 'cancelled', jobId: 'j4', target: cancelledTarget, prompt: 'p' },
      { jobId: 'deliver-j4' },
    );
    await cancelled.waitUntilFinished(events, 10_000);
    const shown = { buttons: [expect.objectContaining({ action: 'reroll' })], private: false };
    const gpu = { kind: 'failed', jobId: 'j3', message: 'The GPU ran out of memory.' };
    expect(adapter.rendered.map(({ target: to, reply }) => ({ target: to, reply }))).toEqual([
      { target, reply: { ...gpu, ...shown } },
      { target: joiner, reply: { ...gpu, ...shown } },
      { target: cancelledTarget, reply: { kind: 'cancelled', jobId: 'j4', ...shown } },
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
    await job.waitUntilFinished(events, 10_000);
    expect(adapter.rendered).toHaveLength(1);
    await worker.close();
    await events.close();
  });

  it('when the second target fails, then the retry posts to it and never to the first again', async () => {
    const { queue, events, artifacts, adapter, worker, connection, prefix } = await setup();
    await artifacts.put('clip-j5', Buffer.from('clip'));
    await connection.rpush(joinedTargetsKey(prefix, 'j5'), JSON.stringify(messageTarget('m5b')));
    const realRender = adapter.render.bind(adapter);
    let failedOnce = false;
    adapter.render = async (to, reply) => {
      if (to.replyId === 'm5b' && !failedOnce) {
        failedOnce = true;
        throw new Error('platform unavailable (test)');
      }
      return realRender(to, reply);
    };
    const job = await queue.add('deliver', delivery('j5', messageTarget('m5a')), {
      jobId: 'deliver-j5',
      attempts: 3,
      backoff: { type: 'fixed', delay: 50 },
    });
    await job.waitUntilFinished(events, 10_000);
    expect(adapter.rendered.map((r) => r.target.replyId)).toEqual(['m5a', 'm5b']);
    await worker.close();
    await events.close();
  });

  it('when the clip expired before delivery, then the delivery fails at once instead of retrying', async () => {
    const { queue, events, adapter, worker } = await setup();
    const job = await queue.add('deliver', delivery('j6'), {
      jobId: 'deliver-j6',
      attempts: 8,
      backoff: { type: 'fixed', delay: 50 },
    });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/expired before it was delivered/);
    expect((await queue.getJob('deliver-j6'))?.attemptsMade).toBe(1);
    expect(adapter.rendered).toHaveLength(0);
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

  it('when progress arrives after the final state, then the final state stays shown', async () => {
    const sent: Reply[] = [];
    const coalescer = new ReplyCoalescer(async (_t, reply) => {
      sent.push(reply);
    }, 0);
    coalescer.update(target, running(1));
    await coalescer.settle(target, { kind: 'failed', jobId: 'j', message: 'x' });
    coalescer.update(target, running(2)); // a late progress event for the same job
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.map((r) => r.kind)).toEqual(['running', 'failed']);
    coalescer.close();
  });

  it('when the platform is slow, edits of one message never overlap, and the final state lands after the edit on its way', async () => {
    const events: string[] = [];
    let active = 0;
    const coalescer = new ReplyCoalescer(async (_t, reply) => {
      active++;
      events.push(`start ${reply.kind === 'running' ? reply.step : reply.kind} (${active} at once)`);
      await new Promise((r) => setTimeout(r, 80)); // a rate-limit wait inside the platform's client
      events.push(`end ${reply.kind === 'running' ? reply.step : reply.kind}`);
      active--;
    }, 10);
    for (let step = 1; step <= 6; step++) {
      coalescer.update(target, running(step));
      await new Promise((r) => setTimeout(r, 15));
    }
    await coalescer.settle(target, { kind: 'failed', jobId: 'j', message: 'x' });
    await new Promise((r) => setTimeout(r, 200));
    expect(events.every((e) => !e.startsWith('start') || e.endsWith('(1 at once)'))).toBe(true);
    expect(events.at(-1)).toBe('end failed');
    expect(events.filter((e) => e.startsWith('start')).length).toBeLessThan(7); // coalesced while waiting
    coalescer.close();
  });
});
