// Checks denoiser_step.onnx (built by models/shapes-v1/train/step_graph.py) against the velocity denoiser
// it was built from, with the guidance and Euler update done here in float32, for 1 and 3 jobs, then times
// one step of each way for 1 job of the low tier (latents [1, 8, 12, 8, 8]) on the CPU. Exits 1 past a
// difference of 1e-4.
//
//   git show e7fdd20:models/shapes-v1/denoiser.onnx > /tmp/denoiser.onnx   (the shipped velocity graph)
//   npx tsx scripts/model/check-step-graph.ts /tmp/denoiser.onnx [STEP_GRAPH]
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const TOLERANCE = 1e-4;
const TEXT = { tokens: 16, dim: 128 };

/** One step's inputs for n jobs: latents [n, frames, 12, height, width], text rows [2n, …]. */
interface StepCase {
  dims: [number, number, number, number, number];
  x: Float32Array;
  t: Float32Array;
  dt: Float32Array;
  guidance: Float32Array;
  text: Float32Array;
  mask: Float32Array;
}

// mulberry32: a fixed seed, so a failure can be run again.
let seed = 19;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
  return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
}
const filled = (length: number, value: () => number) => Float32Array.from({ length }, value);

function makeCase(n: number, frames: number, height: number, width: number): StepCase {
  const mask = new Float32Array(2 * n * TEXT.tokens);
  for (let row = 0; row < 2 * n; row++) {
    const used = 1 + Math.floor(random() * TEXT.tokens);
    mask.fill(1, row * TEXT.tokens, row * TEXT.tokens + used);
  }
  return {
    dims: [n, frames, 12, height, width],
    x: filled(n * frames * 12 * height * width, () => random() * 4 - 2),
    t: filled(n, () => 0.05 + random() * 0.9),
    dt: filled(n, () => -0.01 - random() * 0.1),
    guidance: filled(n, () => 1 + random() * 7),
    text: filled(2 * n * TEXT.tokens * TEXT.dim, () => random() * 2 - 1),
    mask,
  };
}

const tensor = (data: Float32Array, dims: readonly number[]) => new ort.Tensor('float32', data, dims);
const textFeeds = (c: StepCase) => ({
  text_embeddings: tensor(c.text, [2 * c.dims[0], TEXT.tokens, TEXT.dim]),
  text_mask: tensor(c.mask, [2 * c.dims[0], TEXT.tokens]),
});

/** The old way: velocity of [x; x] from denoiser.onnx, then x + dt·(v_u + g·(v_c − v_u)) here. */
async function stepHere(denoiser: ort.InferenceSession, c: StepCase): Promise<Float32Array> {
  const [n, ...rest] = c.dims;
  const pair = new Float32Array(2 * c.x.length);
  pair.set(c.x);
  pair.set(c.x, c.x.length);
  const times = Float32Array.from([...c.t, ...c.t]);
  const out = await denoiser.run({
    latents: tensor(pair, [2 * n, ...rest]),
    timestep: tensor(times, [2 * n]),
    ...textFeeds(c),
  });
  const v = out.velocity?.data as Float32Array;
  const next = new Float32Array(c.x.length);
  const size = c.x.length / n;
  const f = Math.fround;
  for (let i = 0; i < c.x.length; i++) {
    const job = Math.floor(i / size);
    const vc = v[i] as number;
    const vu = v[i + c.x.length] as number;
    const guided = f(vu + f((c.guidance[job] as number) * f(vc - vu)));
    next[i] = f((c.x[i] as number) + f((c.dt[job] as number) * guided));
  }
  return next;
}

/** The new way: one call of denoiser_step.onnx. */
async function stepInGraph(step: ort.InferenceSession, c: StepCase): Promise<Float32Array> {
  const [n] = c.dims;
  const out = await step.run({
    latents: tensor(c.x, c.dims),
    timestep: tensor(c.t, [n]),
    dt: tensor(c.dt, [n]),
    guidance: tensor(c.guidance, [n]),
    ...textFeeds(c),
  });
  return out.next_latents?.data as Float32Array;
}

async function msPerCall(run: () => Promise<unknown>, warmUp = 5, runs = 50): Promise<number> {
  for (let i = 0; i < warmUp; i++) await run();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await run();
  return (performance.now() - start) / runs;
}

const [velocityGraph, stepGraph] = process.argv.slice(2);
if (!velocityGraph) throw new Error('usage: check-step-graph.ts VELOCITY_DENOISER [STEP_GRAPH]');
const cpu = { executionProviders: ['cpu'] };
const denoiser = await ort.InferenceSession.create(velocityGraph, cpu);
const step = await ort.InferenceSession.create(
  stepGraph ?? fileURLToPath(new URL('../../models/shapes-v1/denoiser_step.onnx', import.meta.url)),
  cpu,
);

let worst = 0;
for (const c of [makeCase(1, 8, 8, 8), makeCase(3, 6, 8, 16)]) {
  const [here, inGraph] = [await stepHere(denoiser, c), await stepInGraph(step, c)];
  // NaN (from a NaN or a length that differs) propagates through Math.max and fails the check.
  const diff =
    here.length === inGraph.length
      ? here.reduce((m, v, i) => Math.max(m, Math.abs(v - (inGraph[i] as number))), 0)
      : Number.NaN;
  worst = Math.max(worst, diff);
  console.log(`n=${c.dims[0]}, latents [${c.dims}]: max |step graph − (denoiser + JS step)| = ${diff}`);
}

const low = makeCase(1, 8, 8, 8);
const hereMs = await msPerCall(() => stepHere(denoiser, low));
const graphMs = await msPerCall(() => stepInGraph(step, low));
console.log(`CPU, n=1, latents [${low.dims}]: denoiser.onnx + JS step ${hereMs.toFixed(2)} ms/call`);
console.log(`CPU, n=1, latents [${low.dims}]: denoiser_step.onnx ${graphMs.toFixed(2)} ms/call`);

if (!(worst <= TOLERANCE)) {
  console.error(`FAIL: the step graph differs by ${worst} (> ${TOLERANCE})`);
  process.exitCode = 1;
}
