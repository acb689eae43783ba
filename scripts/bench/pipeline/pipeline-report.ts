// The pipeline bench's report: targets, verdict and the printed text; pure, so it is unit-tested.
import { formatTable } from '../../../src/cli/text-table.ts';
import type { AdmissionCheck } from './admission-scenario.ts';
import type { MachineFacts } from './machine-facts.ts';
import { CLIP_STAGES, type DutySummary, type OverheadSummary, type Spread } from './pipeline-stats.ts';

/** The targets for the lowest tier. */
export const PIPELINE_TARGETS = { overheadP50Ms: 250, dutyCycle: 0.95, admissionsPerSecond: 1_000 } as const;

/** Many calls at once, timed from the first sent to the last answered. */
export interface ThroughputResult {
  calls: number;
  elapsedMs: number;
  perSecond: number;
  /** Calls kept in flight at once. */
  inFlight: number;
}

export interface PipelineReport {
  machine: MachineFacts;
  model: { name: string; manifestPath: string; tier: string; tierSize: string; steps: number };
  clips: number;
  warmUpMs: number;
  overhead: OverheadSummary;
  /** `fullQueue`: every clip was queued before the first job completed, so the worker never waited. */
  duty: DutySummary & { fullQueue: boolean };
  admission: ThroughputResult & {
    connections: number;
    scenario: { tenants: number; usersPerTenant: number; requestsPerUser: number };
    check: AdmissionCheck;
  };
  /** The whole /video admission path, as a second, slower number. */
  servicePath: ThroughputResult & { queued: number; pass: boolean };
}

export interface TargetCheck {
  name: 'overhead' | 'duty-cycle' | 'admission';
  pass: boolean;
  line: string;
}

const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const frac = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '-');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Each target with PASS or FAIL. */
export function targetChecks(r: PipelineReport): TargetCheck[] {
  const t = PIPELINE_TARGETS;
  const p50 = r.overhead.overheadMs.p50;
  const overheadOk = p50 <= t.overheadP50Ms;
  const dutyOk = r.duty.dutyCycle >= t.dutyCycle;
  const rateOk = r.admission.perSecond >= t.admissionsPerSecond;
  const countsOk = r.admission.check.pass;
  return [
    {
      name: 'overhead',
      pass: overheadOk,
      line: `overhead beyond inference p50 ${int(p50)} ms ${overheadOk ? '≤' : '>'} ${t.overheadP50Ms} ms (p95 ${int(r.overhead.overheadMs.p95)} ms)`,
    },
    {
      name: 'duty-cycle',
      pass: dutyOk,
      line: `worker duty cycle ${frac(r.duty.dutyCycle)} ${dutyOk ? '≥' : '<'} ${t.dutyCycle}`,
    },
    {
      name: 'admission',
      pass: rateOk && countsOk,
      line: `admission ${int(r.admission.perSecond)} decisions/s ${rateOk ? '≥' : '<'} ${int(t.admissionsPerSecond)}/s, counts ${countsOk ? 'exact' : 'WRONG'}`,
    },
  ];
}

const spreadRow = (label: string, s: Spread) => [label, int(s.p50), int(s.p95), int(s.max)];

const STAGE_LABELS: Record<(typeof CLIP_STAGES)[number], string> = {
  admit: 'admit (request → queued reply)',
  pickup: 'pickup (queued → inference starts)',
  inference: 'inference (generate: text, sampling, decode)',
  encode: 'encode (ffmpeg MP4)',
  store: 'store (artifact put)',
  deliver: 'deliver (stored → done reply rendered)',
};

function overheadSection(r: PipelineReport): string {
  const o = r.overhead;
  const rows = [
    ...CLIP_STAGES.map((stage) => spreadRow(`  ${STAGE_LABELS[stage]}`, o.stagesMs[stage])),
    spreadRow('overhead beyond inference (end-to-end − inference)', o.overheadMs),
    spreadRow('end-to-end (request → done reply)', o.endToEndMs),
  ];
  return [
    `overhead beyond inference: ${o.clips} clips one at a time, the queue otherwise empty (ms)`,
    formatTable(['', 'p50', 'p95', 'max'], rows, ['left', 'right', 'right', 'right']),
  ].join('\n');
}

function dutySection(r: PipelineReport): string {
  const d = r.duty;
  const rows: [string, number][] = [
    ['inference: the model busy (the duty cycle)', d.shares.inference],
    ['model idle', 1 - d.shares.inference],
    ['encode (ffmpeg), summed over jobs; runs beside the next inference', d.shares.encode],
    ['store (artifact put), summed over jobs', d.shares.store],
  ];
  return [
    `worker duty cycle under a full queue: ${d.jobs} clips requested at once against an idle worker${d.fullQueue ? '' : ' (NOTE: some were queued only after the first job completed)'}`,
    `  ${secs(d.wallMs)} from the first job taken to the last completed, ${d.clipsPerMinute.toFixed(1)} clips/min; share of that time:`,
    formatTable(
      ['', 'share'],
      rows.map(([label, share]) => [`  ${label}`, frac(share)]),
      ['left', 'right'],
    ),
  ].join('\n');
}

function admissionSection(r: PipelineReport): string {
  const a = r.admission;
  const s = a.scenario;
  const counts = a.check.pass
    ? `admitted ${int(a.check.admitted)}, the limits allow exactly ${int(a.check.expected)}: PASS`
    : `admitted ${int(a.check.admitted)}, the limits allow ${int(a.check.expected)}: FAIL (${a.check.problems.slice(0, 3).join('; ')})`;
  const p = r.servicePath;
  return [
    `admission decisions: AdmissionLimiter.admit, ${s.tenants} tenants × ${s.usersPerTenant} users × ${s.requestsPerUser} requests, ${a.connections} connections, ${a.inFlight} in flight`,
    `  ${int(a.calls)} decisions in ${secs(a.elapsedMs)}: ${int(a.perSecond)}/s; ${counts}`,
    `  the whole /video path (VideoService: settings, validation, moderation, cache, limits, enqueue, position; no worker),`,
    `  ${p.inFlight} in flight: ${int(p.calls)} requests in ${secs(p.elapsedMs)}: ${int(p.perSecond)}/s; ${int(p.queued)} of ${int(p.calls)} queued: ${p.pass ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

/** The human-readable report: what ran where, the three measurements, each target, the verdict. */
export function formatReport(r: PipelineReport, checks: readonly TargetCheck[]): string {
  const m = r.machine;
  const failed = checks.filter((c) => !c.pass).length;
  return [
    `model     ${r.model.name} (${r.model.manifestPath}); tier ${r.model.tier} (${r.model.tierSize}, ${r.model.steps} steps)`,
    `machine   ${m.cpu} × ${m.cpuCount} CPUs, ${m.memoryGiB} GiB, ${m.platform}; load average ${m.loadAtStart.toFixed(2)} at start, ${m.loadAtEnd.toFixed(2)} at end`,
    `software  node ${m.node}, onnxruntime ${m.onnxruntime}, provider ${m.provider}, threads ${m.threads || 'auto'}; bot and worker in this one process`,
    `warm-up   1 clip, ${int(r.warmUpMs)} ms (not counted)`,
    '',
    overheadSection(r),
    '',
    dutySection(r),
    '',
    admissionSection(r),
    '',
    'targets',
    ...checks.map((c) => `  ${c.pass ? 'PASS' : 'FAIL'}  ${c.line}`),
    failed ? `verdict: FAIL (${failed} of ${checks.length} targets missed)` : 'verdict: PASS',
    '',
  ].join('\n');
}
