import { Queue, QueueEvents } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import type { DeliverJobData, GenerateJobData } from '../../src/core/index.ts';
import { deliverQueueName } from '../../src/delivery/index.ts';
import { childrenOf, isRunning } from '../support/child-processes.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { readyPort, startWorkerProcess as startWorker } from '../support/worker-process.ts';

describe('the worker process', () => {
  const redis = useLocalRedis();

  it('serves health and metrics, renders queued jobs, goes on after its model process is killed, and stops cleanly on SIGTERM', async () => {
    const prefix = `w${Date.now()}`;
    const worker = startWorker({
      REDIS_URL: redis.url(),
      CLIPBOT_KEY_PREFIX: prefix,
      CLIPBOT_WORKER_PORT: '0',
    });
    let modelPid: number | undefined;
    try {
      const port = await readyPort(worker.output);
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).toMatchObject({ ok: true, model: 'shapes-v1', provider: 'cpu', running: true });
      const connection = redis.client();
      const generate = new Queue<GenerateJobData>('generate', { connection, prefix });
      const deliver = new Queue<DeliverJobData>(deliverQueueName('playground'), { connection, prefix });
      const events = new QueueEvents('generate', { connection: redis.client(), prefix });
      await events.waitUntilReady();
      const job = await generate.add(
        'generate',
        generateJob({ prompt: 'a pink star falls', seed: 3, steps: 4, fingerprint: 'fp' }),
        { jobId: 'job-1', priority: 1 },
      );
      await job.waitUntilFinished(events, 60_000);
      expect((await deliver.getJob('deliver-job-1'))?.data).toMatchObject({
        outcome: 'clip',
        jobId: 'job-1',
        tier: 'low',
        seed: 3,
      });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^clipbot_jobs_completed_total 1$/m);
      expect(metrics).toMatch(/^clipbot_model_process_restarts 0$/m);
      expect(metrics).toMatch(/clipbot_execution_provider_info\{provider="cpu",model="shapes-v1"\} 1/);

      // The model runs in a process of the worker's own: killed, it is started again and the worker
      // goes on with the next job.
      // The worker's one node child (its others are the ffmpeg it starts for each clip).
      const modelOf = async () =>
        (await childrenOf(worker.child.pid)).filter((child) => child.name === 'node');
      const [model, ...more] = await modelOf();
      expect(more).toEqual([]);
      modelPid = model?.pid;
      process.kill(modelPid as number, 'SIGKILL');
      await vi.waitFor(
        () => expect(worker.output()).toContain('the model process stopped; starting it again'),
        { timeout: 5_000 },
      );
      const second = await generate.add(
        'generate',
        generateJob({ prompt: 'a pink star rises', seed: 4, steps: 4, fingerprint: 'fp2' }),
        { jobId: 'job-2', priority: 1 },
      );
      await second.waitUntilFinished(events, 60_000);
      expect(worker.output()).toContain('the model process is back');
      const after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(after).toMatch(/^clipbot_model_process_restarts 1$/m);
      expect(after).toMatch(/^clipbot_model_process_up 1$/m);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({
        ok: true,
        modelProcess: 'up',
      });
      const [restarted] = await modelOf();
      expect(restarted?.pid).not.toBe(modelPid);
      modelPid = restarted?.pid;
      await events.close();
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('worker stopped');
    // The worker's model process ends with it.
    await vi.waitFor(() => expect(isRunning(modelPid as number)).toBe(false), { timeout: 5_000 });
  }, 120_000);

  it('when REDIS_URL is missing, then it exits 1 saying so', async () => {
    const worker = startWorker({ REDIS_URL: '', CLIPBOT_WORKER_PORT: '0' });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/clipbot worker failed to start: the worker needs REDIS_URL/);
  }, 60_000);
});
