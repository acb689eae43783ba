// Probes what onnxruntime-node's WebGPU provider can do with the step graph, one way per process (a
// failure may abort the process), each timed on 12 steps of the low tier, one job (PROBE_SHAPE below),
// and checked against the CPU provider on the same inputs (maxDiff):
//   dynamic     the graph as shipped (batch, frames, height and width free)
//   static      the same dims fixed at load (freeDimensionOverrides), so onnxruntime folds the shape
//               arithmetic into constants and keeps every node on the GPU
//   capture     static, plus graph capture through the session's extra config
//               (ep.webgpuexecutionprovider.enableGraphCapture)
//   gpu-buffer  static, next_latents kept on the GPU and fed back as the next step's latents, read back
//               once at the end
//   profile     dynamic, with onnxruntime's profiler on: the WebGPU provider then times each dispatch
//               on the GPU (timestamp queries), so the row adds dispatches a step, GPU ms a step and the
//               ops that take most of it (msPerStep is then the profiled run's, slower than dynamic's)
// EP_OPTIONS (JSON, optional): the WebGPU provider's options as the Node binding takes them, on the
// provider's entry, e.g. {"preferredLayout":"NCHW","validationMode":"disabled"} (the binding refuses
// others; options given as session config under `extra` are not all read, preferredLayout is not).
// Prints one JSON line.
//
//   node probe-webgpu.mjs dynamic|static|capture|gpu-buffer|profile STEP_GRAPH [EP_OPTIONS]
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const WAYS = ['dynamic', 'static', 'capture', 'gpu-buffer', 'profile'] as const;
type Way = (typeof WAYS)[number];
const [way, graph, epJson] = process.argv.slice(2) as [Way, string, string | undefined];
if (!graph || !WAYS.includes(way))
  throw new Error(`usage: probe-webgpu ${WAYS.join('|')} STEP_GRAPH [EP_OPTIONS]`);
const STEPS = 12;
// PROBE_SHAPE (optional) picks another latent shape: jobs,frames,height,width (medium 1,12,16,16).
const [n = 1, probeFrames = 8, probeHeight = 8, probeWidth = 8] = (process.env.PROBE_SHAPE ?? '1,8,8,8')
  .split(',')
  .map(Number);
const dims = [n, probeFrames, 12, probeHeight, probeWidth];
const size = dims.reduce((a, b) => a * b, 1);
const f32 = (data: Float32Array, shape: number[]) => new ort.Tensor('float32', data, shape);
const wave = (length: number, scale: number) =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37) * scale);
const fixed = {
  timestep: f32(new Float32Array(n).fill(0.5), [n]),
  dt: f32(new Float32Array(n).fill(-1 / STEPS), [n]),
  guidance: f32(new Float32Array(n).fill(4), [n]),
  text_embeddings: f32(wave(2 * n * 16 * 128, 0.3), [2 * n, 16, 128]),
  text_mask: f32(new Float32Array(2 * n * 16).fill(1), [2 * n, 16]),
};
const [, frames = 8, , height = 8, width = 8] = dims;
const staticDims = { batch: n, '2*batch': 2 * n, frames, height, width };
const epOptions = epJson ? (JSON.parse(epJson) as Record<string, string>) : {};
const profileDir = way === 'profile' ? await mkdtemp(join(tmpdir(), 'probe-webgpu-')) : undefined;
const options: ort.InferenceSession.SessionOptions = {
  executionProviders: [{ name: 'webgpu', ...epOptions }],
  ...(way === 'dynamic' || way === 'profile' ? {} : { freeDimensionOverrides: staticDims }),
  ...(way === 'capture' ? { extra: { ep: { webgpuexecutionprovider: { enableGraphCapture: '1' } } } } : {}),
  ...(profileDir ? { enableProfiling: true, profileFilePrefix: join(profileDir, 'profile') } : {}),
  ...(way === 'gpu-buffer' ? { preferredOutputLocation: { next_latents: 'gpu-buffer' } } : {}),
};
const report = (row: object) =>
  console.log(JSON.stringify({ kind: 'probe', way, ...(epJson ? { ep: epOptions } : {}), ...row }));

interface TraceEvent {
  cat?: string;
  name: string;
  dur: number;
}

/** The WebGPU provider's GPU-timed dispatches ('Api' events, named node&op&program), a step's share. */
async function gpuProfile(session: ort.InferenceSession, dir: string, steps: number) {
  session.endProfiling();
  const [file] = await readdir(dir);
  if (!file) return { profile: 'no profile file written' };
  const events = (JSON.parse(await readFile(join(dir, file), 'utf8')) as TraceEvent[]).filter(
    (e) => e.cat === 'Api',
  );
  await rm(dir, { recursive: true, force: true });
  const byOp = new Map<string, number>();
  for (const e of events) {
    const op = e.name.split('&').slice(1).join('/');
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 1000 / steps);
  }
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    dispatchesPerStep: events.length / steps,
    gpuMsPerStep: round(events.reduce((sum, e) => sum + e.dur, 0) / 1000 / steps),
    topOps: Object.fromEntries(
      [...byOp]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([op, ms]) => [op, round(ms)]),
    ),
  };
}

/** Runs `steps` steps from the same start; returns the final latents and ms a step after `warm` steps. */
async function sample(session: ort.InferenceSession, warm: number, steps: number) {
  let latents: ort.Tensor = f32(wave(size, 1), dims);
  const run = async () => {
    const out = await session.run({ latents, ...fixed });
    latents = out.next_latents as ort.Tensor;
  };
  for (let i = 0; i < warm; i++) await run();
  const started = performance.now();
  for (let i = 0; i < steps; i++) await run();
  const msPerStep = (performance.now() - started) / steps;
  return { data: (await latents.getData()) as Float32Array, location: latents.location, msPerStep };
}

try {
  const session = await ort.InferenceSession.create(graph, options);
  const gpu = await sample(session, 3, STEPS);
  const cpu = await sample(
    await ort.InferenceSession.create(graph, { executionProviders: ['cpu'] }),
    3,
    STEPS,
  );
  let maxDiff = 0;
  for (let i = 0; i < size; i++)
    maxDiff = Math.max(maxDiff, Math.abs((gpu.data[i] ?? 0) - (cpu.data[i] ?? 0)));
  report({
    ok: true,
    location: gpu.location,
    msPerStep: Math.round(gpu.msPerStep * 100) / 100,
    maxDiff: Number(maxDiff.toPrecision(3)),
    ...(profileDir ? await gpuProfile(session, profileDir, 3 + STEPS) : {}),
  });
} catch (error) {
  report({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
