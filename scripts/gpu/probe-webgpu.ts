// Probes what onnxruntime-node's WebGPU provider can do with the step graph, one way per process (a
// failure may abort the process), each timed on 12 steps of the low tier, one job, and checked against
// the CPU provider on the same inputs (maxDiff):
//   dynamic     the graph as shipped (batch, frames, height and width free)
//   static      the same dims fixed at load (freeDimensionOverrides), so onnxruntime folds the shape
//               arithmetic into constants and keeps every node on the GPU
//   capture     static, plus graph capture through the session's extra config
//               (ep.webgpuexecutionprovider.enableGraphCapture)
//   gpu-buffer  static, next_latents kept on the GPU and fed back as the next step's latents, read back
//               once at the end
// Prints one JSON line.
//
//   node probe-webgpu.mjs dynamic|static|capture|gpu-buffer STEP_GRAPH
import * as ort from 'onnxruntime-node';

const WAYS = ['dynamic', 'static', 'capture', 'gpu-buffer'] as const;
type Way = (typeof WAYS)[number];
const [way, graph] = process.argv.slice(2) as [Way, string];
if (!graph || !WAYS.includes(way)) throw new Error(`usage: probe-webgpu ${WAYS.join('|')} STEP_GRAPH`);
const STEPS = 12;
const n = 1;
const dims = [n, 8, 12, 8, 8];
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
const options: ort.InferenceSession.SessionOptions = {
  executionProviders: ['webgpu'],
  ...(way === 'dynamic' ? {} : { freeDimensionOverrides: staticDims }),
  ...(way === 'capture' ? { extra: { ep: { webgpuexecutionprovider: { enableGraphCapture: '1' } } } } : {}),
  ...(way === 'gpu-buffer' ? { preferredOutputLocation: { next_latents: 'gpu-buffer' } } : {}),
};
const report = (row: object) => console.log(JSON.stringify({ kind: 'probe', way, ...row }));

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
  });
} catch (error) {
  report({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
