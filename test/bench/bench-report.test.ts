import { describe, expect, it } from 'vitest';
import { childFlags, parseBenchArgs } from '../../scripts/bench/bench-args.ts';
import { summarise, verdict } from '../../scripts/bench/bench-report.ts';
import { childCommand } from '../../scripts/bench/spawn-tier.ts';
import type { TierResult } from '../../scripts/bench/tier-result.ts';

const defaults = { manifestPath: '/m/model.json', providers: ['cpu' as const] };

function result(name: string, generateMs: number[], encodeMs?: number, peakRssMiB = 300): TierResult {
  return {
    tier: { name, width: 64, height: 64, frames: 8, steps: 10, memoryMB: 400 },
    provider: 'cpu',
    onnxruntime: '1.30.0',
    threads: 0,
    loadMs: 100,
    runs: generateMs.map((ms, i) => ({
      seed: i + 1,
      textMs: 1,
      sampleMs: ms - 11,
      decodeMs: 10,
      generateMs: ms,
      ...(encodeMs === undefined ? {} : { encodeMs, bytes: 2000 }),
    })),
    peakRssMiB,
  };
}

describe('the model benchmark', () => {
  it('summarises a tier by medians, the slowest generation and ms per sampler step', () => {
    const s = summarise(result('low', [500, 900, 600], 200));
    expect(s).toMatchObject({
      size: '64x64×8',
      generateMs: 600,
      generateMaxMs: 900,
      encodeMs: 200,
      totalMs: 800,
    });
    expect(s.msPerStep).toBeCloseTo(58.9, 1);
  });

  it('without encoding, leaves the encode column empty and totals generation alone', () => {
    expect(summarise(result('low', [500]))).toMatchObject({ encodeMs: undefined, totalMs: 500 });
  });

  it('passes when the lowest tier is within 3 s, the default within 10 s and memory within 1536 MiB', () => {
    const tiers = [summarise(result('low', [2000], 500)), summarise(result('medium', [9000], 900))];
    expect(verdict(tiers, 'low', 'medium')).toEqual({
      pass: true,
      line: 'verdict: PASS: lowest tier low 2.50 s ≤ 3 s; default tier medium 9.90 s ≤ 10 s; peak RSS 300 MiB ≤ 1536 MiB',
    });
  });

  it('fails on any missed target and says which', () => {
    const tiers = [summarise(result('low', [3500])), summarise(result('medium', [4000], 0, 2048))];
    const { pass, line } = verdict(tiers, 'low', 'medium');
    expect(pass).toBe(false);
    expect(line).toMatch(
      /^verdict: FAIL: lowest tier low 3\.50 s > 3 s; default tier medium 4\.00 s ≤ 10 s; peak RSS 2048 MiB > 1536/,
    );
  });

  it('when a target tier was not measured, then the pass is marked partial', () => {
    expect(verdict([summarise(result('low', [100]))], 'low', 'medium').line).toMatch(
      /^verdict: PASS \(partial\): .*default tier medium not measured/,
    );
  });

  it('starts a bundled .mjs child with plain node and the .ts source through tsx', () => {
    expect(childCommand('/opt/bench/bench-model.mjs')).toEqual(['/opt/bench/bench-model.mjs']);
    const [flag, loader, script] = childCommand('/repo/scripts/bench-model.ts');
    expect([flag, script]).toEqual(['--import', '/repo/scripts/bench-model.ts']);
    expect(loader).toMatch(/^file:.*\/tsx\//);
  });

  it('gives the child the same model, providers, runs and encode choice, for exactly one tier', () => {
    const args = parseBenchArgs(
      ['--providers', 'webgpu,cpu', '--runs', '5', '--no-encode', '--tiers', 'low,high'],
      defaults,
    );
    if (args === 'help') throw new Error('expected arguments');
    const child = parseBenchArgs(childFlags(args, 'high'), defaults);
    expect(child).toEqual({ ...args, tiers: ['high'], child: true });
  });

  it('refuses a run count below one and unknown providers', () => {
    expect(() => parseBenchArgs(['--runs', '0'], defaults)).toThrow(/--runs must be a whole number/);
    expect(() => parseBenchArgs(['--providers', 'tpu'], defaults)).toThrow(/unknown provider "tpu"/);
  });
});
