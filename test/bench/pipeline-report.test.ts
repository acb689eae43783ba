import { describe, expect, it } from 'vitest';
import {
  admissionScenario,
  checkAdmissions,
  expectedAdmissions,
  scenarioRequests,
} from '../../scripts/bench/pipeline/admission-scenario.ts';
import type { MachineFacts } from '../../scripts/bench/pipeline/machine-facts.ts';
import { parsePipelineArgs } from '../../scripts/bench/pipeline/pipeline-args.ts';
import {
  formatReport,
  type PipelineReport,
  targetChecks,
} from '../../scripts/bench/pipeline/pipeline-report.ts';
import {
  type ClipTrace,
  clipStages,
  type JobTrace,
  percentile,
  summariseDuty,
  summariseOverhead,
} from '../../scripts/bench/pipeline/pipeline-stats.ts';

/** A clip whose stages are admit 5, pickup 3, inference `inference`, encode 100, store 2, deliver 10. */
function clip(at: number, inference: number): ClipTrace {
  const inferenceStart = at + 8;
  const storeStart = inferenceStart + inference + 100;
  return {
    requestedAt: at,
    queuedAt: at + 5,
    inferenceStart,
    inferenceEnd: inferenceStart + inference,
    inferenceMs: inference,
    storeStart,
    storeEnd: storeStart + 2,
    doneAt: storeStart + 12,
  };
}

/** A job taken at `at`: 10 ms before inference, `inference` ms, encode 80, store 5, 5 ms to complete. */
function job(at: number, inference: number): JobTrace {
  const inferenceEnd = at + 10 + inference;
  return {
    activeAt: at,
    inferenceStart: at + 10,
    inferenceEnd,
    inferenceMs: inference,
    storeStart: inferenceEnd + 80,
    storeEnd: inferenceEnd + 85,
    completedAt: inferenceEnd + 90,
  };
}

const machine: MachineFacts = {
  cpu: 'Test CPU',
  cpuCount: 2,
  memoryGiB: 8,
  platform: 'linux-x64',
  node: 'v20.19.0',
  onnxruntime: '1.30.0',
  provider: 'cpu',
  threads: 0,
  loadAtStart: 0.5,
  loadAtEnd: 1.5,
};

function report(overrides: Partial<PipelineReport> = {}): PipelineReport {
  const expected = expectedAdmissions(admissionScenario());
  return {
    machine,
    model: { name: 'shapes-v1', manifestPath: '/m/model.json', tier: 'low', tierSize: '64x64×8', steps: 12 },
    clips: 3,
    warmUpMs: 900,
    overhead: summariseOverhead([clip(0, 300), clip(1000, 400), clip(2000, 350)]),
    duty: { ...summariseDuty([job(0, 400), job(500, 400)]), fullQueue: true },
    admission: {
      calls: 20_000,
      elapsedMs: 4_000,
      perSecond: 5_000,
      inFlight: 200,
      connections: 2,
      scenario: { tenants: 20, usersPerTenant: 50, requestsPerUser: 20 },
      check: { pass: true, admitted: expected.total, expected: expected.total, problems: [] },
    },
    servicePath: { calls: 1_000, elapsedMs: 2_000, perSecond: 500, inFlight: 50, queued: 1_000, pass: true },
    ...overrides,
  };
}

describe('percentiles', () => {
  it('interpolate between the nearest ranks, so the median of an even count is the mean of the middle two', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([7], 95)).toBe(7);
  });

  it('are the extremes at 0 and 100, and NaN for no values', () => {
    expect(percentile([3, 9, 1], 0)).toBe(1);
    expect(percentile([3, 9, 1], 100)).toBe(9);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('overhead beyond inference', () => {
  it('splits a clip into stages that add up to its end-to-end time', () => {
    const t = clip(1000, 300);
    const stages = clipStages(t);
    expect(stages).toEqual({ admit: 5, pickup: 3, inference: 300, encode: 100, store: 2, deliver: 10 });
    expect(Object.values(stages).reduce((a, b) => a + b, 0)).toBe(t.doneAt - t.requestedAt);
  });

  it('is end-to-end minus inference, whatever the inference took', () => {
    const s = summariseOverhead([clip(0, 300), clip(1000, 900), clip(5000, 350)]);
    expect(s.overheadMs).toEqual({ p50: 120, p95: 120, max: 120 });
    expect(s.endToEndMs.p50).toBe(470);
    expect(s.stagesMs.encode.p50).toBe(100);
  });
});

describe('the duty cycle', () => {
  it('is the inference share of the time from the first job taken to the last completed, the rest named', () => {
    // Two jobs of 500 ms each, 400 of them inference, with a 100 ms gap between them.
    const d = summariseDuty([job(0, 400), job(600, 400)]);
    expect(d.wallMs).toBe(1100);
    expect(d.dutyCycle).toBeCloseTo(800 / 1100);
    expect(d.shares.encode).toBeCloseTo(160 / 1100);
    expect(d.shares.store).toBeCloseTo(10 / 1100);
    expect(d.shares.bookkeeping).toBeCloseTo(30 / 1100);
    expect(d.shares.between).toBeCloseTo(100 / 1100);
    expect(Object.values(d.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(d.clipsPerMinute).toBeCloseTo((2 * 60_000) / 1100);
  });
});

describe('admission counts', () => {
  it('are what the limits allow: each kind of tenant is held by a different limit', () => {
    const e = expectedAdmissions(admissionScenario(20_000));
    // Per four tenants: the tenant bucket (120), the tenant waiting cap (90), 50 users × active cap 4,
    // 50 users × bucket 3.
    expect(e.perTenant.slice(0, 4)).toEqual([120, 90, 200, 150]);
    expect(e.userCap.slice(0, 4)).toEqual([4, 4, 4, 3]);
    expect(e.everyUserFull.slice(0, 4)).toEqual([false, false, true, true]);
    expect(e.total).toBe(5 * (120 + 90 + 200 + 150));
    expect(e.globalBinds).toBe(false);
  });

  it('with fewer requests than any cap, every request is admitted', () => {
    const s = admissionScenario(1_000);
    expect(s.requestsPerUser).toBe(1);
    expect(expectedAdmissions(s).total).toBe(1_000);
  });

  it('pass when exactly the allowed requests were admitted, and name what is wrong otherwise', () => {
    const s = admissionScenario(2_000); // 2 requests a user: only the waiting cap of 90 binds
    const requests = scenarioRequests(s);
    const e = expectedAdmissions(s);
    // Admit in order until each tenant reaches its expected count, as the script would.
    const given = new Array<number>(s.tenants).fill(0);
    const admitted = requests.map((r) => {
      if ((given[r.tenant] as number) >= (e.perTenant[r.tenant] as number)) return false;
      given[r.tenant] = (given[r.tenant] as number) + 1;
      return true;
    });
    expect(checkAdmissions(s, requests, admitted)).toEqual({
      pass: true,
      admitted: e.total,
      expected: e.total,
      problems: [],
    });
    const tooMany = admitted.map(() => true);
    const check = checkAdmissions(s, requests, tooMany);
    expect(check.pass).toBe(false);
    expect(check.problems[0]).toBe('admitted 2000, the limits allow 1950');
    expect(check.problems).toContain('tenant 1: admitted 100, expected 90');
    expect(check.problems.some((p) => p.startsWith('tenant 0:'))).toBe(false);
  });
});

describe('the pipeline report', () => {
  it('passes each target it meets and fails the one it misses', () => {
    const checks = targetChecks(report());
    expect(checks.map((c) => [c.name, c.pass])).toEqual([
      ['overhead', true],
      ['duty-cycle', false],
      ['admission', true],
    ]);
    expect(checks[0]?.line).toBe('overhead beyond inference p50 120 ms ≤ 250 ms (p95 120 ms)');
    expect(checks[1]?.line).toMatch(/^worker duty cycle 0\.\d{3} < 0\.95$/);
  });

  it('fails admission on wrong counts even when fast enough', () => {
    const r = report();
    const wrong = { ...r.admission, check: { ...r.admission.check, pass: false, problems: ['x'] } };
    const admission = targetChecks(report({ admission: wrong })).find((c) => c.name === 'admission');
    expect(admission).toMatchObject({ pass: false, line: expect.stringMatching(/counts WRONG$/) });
  });

  it('prints the machine, each stage, the duty-cycle shares, admission counts and one verdict line', () => {
    const r = report();
    const text = formatReport(r, targetChecks(r));
    expect(text).toContain(
      'machine   Test CPU × 2 CPUs, 8 GiB, linux-x64; load average 0.50 at start, 1.50 at end',
    );
    expect(text).toMatch(/encode \(ffmpeg MP4\)\s+100\s+100\s+100/);
    expect(text).toMatch(/overhead beyond inference \(end-to-end − inference\)\s+120\s+120\s+120/);
    expect(text).toMatch(/inference: the model busy \(the duty cycle\)\s+0\.\d{3}/);
    expect(text).toContain(
      '20,000 decisions in 4.0 s: 5,000/s; admitted 2,800, the limits allow exactly 2,800: PASS',
    );
    expect(text).toContain('  PASS  overhead beyond inference p50 120 ms');
    expect(text).toContain('  FAIL  worker duty cycle');
    expect(text.trimEnd().split('\n').at(-1)).toBe('verdict: FAIL (1 of 3 targets missed)');
  });
});

describe('the pipeline bench flags', () => {
  it('default to 50 clips, the cheapest tier and 20,000 decisions, and refuse a bad count', () => {
    expect(parsePipelineArgs([], { manifestPath: '/m.json' })).toEqual({
      manifestPath: '/m.json',
      clips: 50,
      tier: undefined,
      admissions: 20_000,
      json: false,
    });
    expect(
      parsePipelineArgs(['--clips', '5', '--tier', 'low', '--json'], { manifestPath: '/m.json' }),
    ).toMatchObject({
      clips: 5,
      tier: 'low',
      json: true,
    });
    expect(() => parsePipelineArgs(['--clips', '0'], { manifestPath: '/m.json' })).toThrow(/--clips must be/);
  });
});
