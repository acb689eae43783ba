import { describe, expect, it } from 'vitest';
import { ClipCache } from '../../src/admission/clip-cache.ts';
import { type ClipIdentity, clipFingerprint } from '../../src/admission/clip-fingerprint.ts';
import { useLocalRedis } from '../support/local-redis.ts';

const identity: ClipIdentity = {
  model: 'shapes-v1',
  prompt: 'a red ball bouncing',
  negativePrompt: '',
  seed: 7,
  steps: 12,
  guidance: 4,
  tier: 'low',
  uploadLimitBytes: 10 * 1024 * 1024,
};

describe('the clip fingerprint', () => {
  it('is the same for the same identity whatever the field order, and differs when anything differs', () => {
    const reordered = Object.fromEntries(Object.entries(identity).reverse()) as unknown as ClipIdentity;
    expect(clipFingerprint(reordered)).toBe(clipFingerprint(identity));
    for (const change of [
      { seed: 8 },
      { prompt: 'a red ball bouncing!' },
      { tier: 'high' },
      { guidance: 4.5 },
      { uploadLimitBytes: 8 * 1024 * 1024 },
    ]) {
      expect(clipFingerprint({ ...identity, ...change })).not.toBe(clipFingerprint(identity));
    }
  });
});

describe('the clip cache on a real Redis', () => {
  const redis = useLocalRedis();
  const cache = () => new ClipCache(redis.client(), 60_000, `cc${Date.now()}${Math.random()}:`);

  it('when an identical request is in flight, then the second joins the first job', async () => {
    const c = cache();
    const fp = clipFingerprint(identity);
    expect(await c.lookup(fp)).toEqual({ kind: 'miss' });
    expect(await c.claim(fp, 'job-1', 60_000)).toBe('job-1');
    expect(await c.claim(fp, 'job-2', 60_000)).toBe('job-1');
    expect(await c.lookup(fp)).toEqual({ kind: 'in-flight', jobId: 'job-1' });
  });

  it('when the identical clip is finished, then the request is answered from the store', async () => {
    const c = cache();
    const fp = clipFingerprint(identity);
    await c.claim(fp, 'job-1', 60_000);
    const clip = { jobId: 'job-1', artifactKey: 'artifact-job-1', tier: 'low' };
    await c.finish(fp, clip);
    expect(await c.lookup(fp)).toEqual({ kind: 'done', clip });
  });

  it('when the job fails, then the next identical request runs anew; a stranger cannot release it', async () => {
    const c = cache();
    const fp = clipFingerprint(identity);
    await c.claim(fp, 'job-1', 60_000);
    await c.release(fp, 'job-9');
    expect(await c.lookup(fp)).toEqual({ kind: 'in-flight', jobId: 'job-1' });
    await c.release(fp, 'job-1');
    expect(await c.claim(fp, 'job-2', 60_000)).toBe('job-2');
  });

  it('when twenty identical requests race, then exactly one job owns the clip', async () => {
    const fp = clipFingerprint({ ...identity, seed: 99 });
    const shared = `race${Date.now()}:`;
    const owners = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new ClipCache(redis.client(), 60_000, shared).claim(fp, `job-${i}`, 60_000),
      ),
    );
    expect(new Set(owners).size).toBe(1);
  });
});
