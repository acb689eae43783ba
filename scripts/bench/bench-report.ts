import { formatTable } from '../../src/cli/text-table.ts';
import { hostFacts } from './host-facts.ts';
import type { TierResult } from './tier-result.ts';

/** The targets the shapes model must meet on a CPU-only bot host. */
export const TARGETS = { lowestTierMs: 3000, defaultTierMs: 10_000, peakRssMiB: 1536 } as const;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const max = (values: number[]): number => Math.max(...values);

/** One tier's numbers, each a median over the timed runs unless named max. */
export interface TierSummary {
  tier: string;
  size: string;
  steps: number;
  provider: string;
  loadMs: number;
  textMs: number;
  sampleMs: number;
  decodeMs: number;
  generateMs: number;
  generateMaxMs: number;
  encodeMs?: number;
  totalMs: number;
  msPerStep: number;
  peakRssMiB: number;
}

export function summarise(result: TierResult): TierSummary {
  const { runs, tier } = result;
  // 0.1 ms is finer than run-to-run noise; more digits only clutter the JSON.
  const r1 = (value: number) => Math.round(value * 10) / 10;
  const of = (pick: (r: (typeof runs)[number]) => number) => r1(median(runs.map(pick)));
  const encoded = runs.every((r) => r.encodeMs !== undefined);
  return {
    tier: tier.name,
    size: `${tier.width}x${tier.height}×${tier.frames}`,
    steps: tier.steps,
    provider: result.provider,
    loadMs: r1(result.loadMs),
    textMs: of((r) => r.textMs),
    sampleMs: of((r) => r.sampleMs),
    decodeMs: of((r) => r.decodeMs),
    generateMs: of((r) => r.generateMs),
    generateMaxMs: r1(max(runs.map((r) => r.generateMs))),
    encodeMs: encoded ? of((r) => r.encodeMs ?? 0) : undefined,
    totalMs: of((r) => r.generateMs + (r.encodeMs ?? 0)),
    msPerStep: r1(median(runs.map((r) => r.sampleMs)) / tier.steps),
    peakRssMiB: r1(result.peakRssMiB),
  };
}

/** The facts that make two benchmark runs comparable. */
export function machineFacts(results: TierResult[], asked: string[]) {
  return {
    ...hostFacts(),
    onnxruntime: results[0]?.onnxruntime ?? 'unknown',
    providersAsked: asked,
    providersUsed: [...new Set(results.map((r) => r.provider))],
    threads: results[0]?.threads ?? 0,
  };
}

/** PASS when every target that was measured is met; a target whose tier was not run is said so. */
export function verdict(
  summaries: TierSummary[],
  lowestTier: string,
  defaultTier: string,
): { pass: boolean; line: string } {
  const checks: { ok: boolean; text: string }[] = [];
  const timeCheck = (label: string, name: string, limitMs: number) => {
    const s = summaries.find((t) => t.tier === name);
    if (!s) checks.push({ ok: true, text: `${label} ${name} not measured` });
    else {
      const ok = s.totalMs <= limitMs;
      checks.push({ ok, text: `${label} ${name} ${secs(s.totalMs)} ${ok ? '≤' : '>'} ${limitMs / 1000} s` });
    }
  };
  timeCheck('lowest tier', lowestTier, TARGETS.lowestTierMs);
  timeCheck('default tier', defaultTier, TARGETS.defaultTierMs);
  const peak = summaries.length ? max(summaries.map((s) => s.peakRssMiB)) : Number.NaN;
  const memOk = peak <= TARGETS.peakRssMiB;
  if (summaries.length === 0) checks.push({ ok: false, text: 'no tier measured' });
  else {
    checks.push({
      ok: memOk,
      text: `peak RSS ${Math.round(peak)} MiB ${memOk ? '≤' : '>'} ${TARGETS.peakRssMiB} MiB`,
    });
  }
  const pass = checks.every((c) => c.ok);
  const partial =
    summaries.every((s) => s.tier !== lowestTier) || summaries.every((s) => s.tier !== defaultTier);
  const label = pass ? (partial ? 'PASS (partial)' : 'PASS') : 'FAIL';
  return { pass, line: `verdict: ${label}: ${checks.map((c) => c.text).join('; ')}` };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ms = (value: number | undefined) => (value === undefined ? '-' : String(Math.round(value)));

/** The human-readable table, one row per tier, times in ms (medians unless "max"). */
export function formatSummaries(summaries: TierSummary[]): string {
  const header = [
    'tier',
    'size×frames',
    'steps',
    'gen med',
    'gen max',
    'text',
    'sampling',
    'decode',
    'encode med',
    'total med',
    'ms/step',
    'peak RSS',
  ];
  const rows = summaries.map((s) => [
    s.tier,
    s.size,
    String(s.steps),
    ms(s.generateMs),
    ms(s.generateMaxMs),
    ms(s.textMs),
    ms(s.sampleMs),
    ms(s.decodeMs),
    ms(s.encodeMs),
    ms(s.totalMs),
    s.msPerStep.toFixed(1),
    `${Math.round(s.peakRssMiB)} MiB`,
  ]);
  return formatTable(header, rows, ['left', 'left', ...Array<'right'>(10).fill('right')]);
}
