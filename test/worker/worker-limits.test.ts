import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_LIMITS } from '../../src/admission/index.ts';
import { createSpineParts } from '../../src/app/index.ts';
import type { ClipDelivery, GenerateJobData } from '../../src/core/index.ts';
import { OnnxVideoModel } from '../../src/model/index.ts';
import { BUNDLED_DIR, BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { generateJob } from '../support/generate-job.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { startTestWorker } from '../support/test-spine.ts';

describe("the generate worker keeps to the job's limits and the machine's pace", () => {
  const redis = useLocalRedis();
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  /** A real worker on a fresh prefix; `run` adds a job and waits for its end. */
  async function setup(workerModel = model) {
    const prefix = `l${Date.now()}${Math.random()}`.replace('.', '');
    const parts = createSpineParts(redis.client(), { prefix, limits: DEFAULT_ADMISSION_LIMITS });
    const events = new QueueEvents('generate', { connection: redis.client(), prefix });
    await events.waitUntilReady();
    const worker = await startTestWorker(redis, workerModel, parts, 100_000);
    const run = async (jobId: string, data: GenerateJobData): Promise<ClipDelivery> => {
      await parts.limiter.admit({ tenantId: data.tenantKey, userId: data.userKey, jobId });
      const job = await parts.generate.add('generate', data, { jobId });
      return (await job.waitUntilFinished(events, 120_000)) as ClipDelivery;
    };
    const bytesOf = async (delivery: ClipDelivery) => {
      const bytes = await parts.artifacts.get(delivery.artifactKey);
      if (!bytes) throw new Error(`no stored clip for ${delivery.jobId}`);
      return bytes;
    };
    const close = async () => {
      await worker.close(0);
      await events.close();
      await parts.close();
    };
    return { parts, events, run, bytesOf, close };
  }

  it("when the requester's upload limit is below the usual clip, then the stored clip is re-encoded to fit it", async () => {
    const { run, bytesOf, close } = await setup();
    const limit = 4_000;
    const job = (over: Partial<GenerateJobData>) => generateJob({ quality: 'low', steps: 2, ...over });
    // The same clip under the 10 MiB default comes out well over the small limit (about 9.6 KB).
    const usual = await bytesOf(await run('usual', job({ userKey: 'playground:u1', fingerprint: 'f1' })));
    expect(usual.length).toBeGreaterThan(limit * 1.5);
    const small = await run(
      'small',
      job({ userKey: 'playground:u2', fingerprint: 'f2', uploadLimitBytes: limit }),
    );
    const bytes = await bytesOf(small);
    expect(bytes.length).toBeLessThanOrEqual(limit);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(small).toMatchObject({ outcome: 'clip', tier: 'low' });
    await close();
  }, 120_000);

  it('on this machine, auto renders below high when high would take over the 5 s target, says why, and keeps its time', async () => {
    const { parts, run, close } = await setup();
    // At 12 steps high is expected to take 9.84 s × 12/20 ≈ 5.9 s (the manifest's 2-vCPU figure).
    const result = await run('auto', generateJob({ quality: 'auto', steps: 12 }));
    expect(result.tier).toBe('medium');
    expect(result.fallback).toEqual({
      from: 'high',
      reason: 'high would take about 5.9 s here, over the 5 s target',
    });
    const averages = await parts.runTimes.tierAveragesMs();
    expect([...averages.keys()]).toEqual(['medium']);
    expect(averages.get('medium')).toBeGreaterThan(0);
    await close();
  }, 120_000);

  describe('a model whose manifest allows a generation 50 ms', () => {
    let dir: string;
    let quick: OnnxVideoModel;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'clipbot-deadline-'));
      const manifest = JSON.parse(await readFile(BUNDLED_MANIFEST, 'utf8'));
      for (const c of Object.values(manifest.components) as { file: string }[])
        c.file = resolve(BUNDLED_DIR, c.file);
      manifest.tokenizer.vocab = resolve(BUNDLED_DIR, manifest.tokenizer.vocab);
      manifest.limits.maxRunMs = 50;
      await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
      quick = await OnnxVideoModel.load(join(dir, 'model.json'));
    });
    afterAll(async () => {
      await quick.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    it('when a generation runs past it, then the worker stops it and the user is told it took too long', async () => {
      const { parts, run, close } = await setup(quick);
      expect(quick.maxRunMs).toBe(50);
      const data = generateJob({ quality: 'medium', steps: 30 });
      const started = Date.now();
      await expect(run('slow', data)).rejects.toThrow(/deadline/);
      expect(Date.now() - started).toBeLessThan(10_000);
      const reply = async () => (await parts.deliver.get('playground')?.getJob('deliver-slow'))?.data;
      await expect.poll(reply, { timeout: 10_000 }).toMatchObject({
        outcome: 'failed',
        message: expect.stringMatching(/took too long/),
      });
      await close();
    }, 60_000);
  });
});
