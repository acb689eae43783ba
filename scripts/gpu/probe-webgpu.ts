// Probes what onnxruntime-node's WebGPU provider can do with the step graph, one way per process (a
// failure may abort the process): `capture` turns on graph capture through the session's extra config
// (ep.webgpuexecutionprovider.enableGraphCapture); `gpu-buffer` keeps next_latents on the GPU and feeds
// it back as the next step's latents, reading it back once at the end. Prints one JSON line.
//
//   node probe-webgpu.mjs capture|gpu-buffer STEP_GRAPH
import * as ort from 'onnxruntime-node';

const [way, graph] = process.argv.slice(2);
if (!graph || (way !== 'capture' && way !== 'gpu-buffer'))
  throw new Error('usage: probe-webgpu capture|gpu-buffer STEP_GRAPH');
const STEPS = 12;
const n = 1;
const dims = [n, 8, 12, 8, 8];
const size = dims.reduce((a, b) => a * b, 1);
const f32 = (data: Float32Array, shape: number[]) => new ort.Tensor('float32', data, shape);
const fixed = {
  timestep: f32(new Float32Array(n).fill(0.5), [n]),
  dt: f32(new Float32Array(n).fill(-1 / STEPS), [n]),
  guidance: f32(new Float32Array(n).fill(4), [n]),
  text_embeddings: f32(new Float32Array(2 * n * 16 * 128).fill(0.01), [2 * n, 16, 128]),
  text_mask: f32(new Float32Array(2 * n * 16).fill(1), [2 * n, 16]),
};
const options: ort.InferenceSession.SessionOptions = {
  executionProviders: ['webgpu'],
  ...(way === 'capture'
    ? { extra: { ep: { webgpuexecutionprovider: { enableGraphCapture: '1' } } } }
    : { preferredOutputLocation: { next_latents: 'gpu-buffer' } }),
};
const report = (row: object) => console.log(JSON.stringify({ kind: 'probe', way, ...row }));
try {
  const session = await ort.InferenceSession.create(graph, options);
  let latents: ort.Tensor = f32(new Float32Array(size).fill(0.1), dims);
  const run = async () => {
    const out = await session.run({ latents, ...fixed });
    latents = out.next_latents as ort.Tensor;
  };
  for (let i = 0; i < 3; i++) await run(); // warm-up (and capture)
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) await run();
  const msPerStep = (performance.now() - started) / STEPS;
  const data = (await latents.getData()) as Float32Array;
  report({
    ok: true,
    location: latents.location,
    msPerStep: Math.round(msPerStep * 100) / 100,
    first: data[0],
  });
} catch (error) {
  report({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
