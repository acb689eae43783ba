import type { Prng } from './prng.ts';

/**
 * Flow-matching time grid from 1 (noise) to 0 (data), warped by the manifest's shift the way SD3
 * does: t' = shift·t / (1 + (shift − 1)·t), which spends more steps at high noise.
 */
export function flowTimesteps(steps: number, shift: number): Float32Array {
  const out = new Float32Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const t = 1 - i / steps;
    out[i] = (shift * t) / (1 + (shift - 1) * t);
  }
  return out;
}

/**
 * Initial latent noise [frames, frameSize]: standard normal per element, with correlation `rho`
 * between frames (a shared component), which makes frames start alike and motion coherent.
 */
export function frameCorrelatedNoise(
  prng: Prng,
  frames: number,
  frameSize: number,
  rho: number,
): Float32Array {
  const shared = new Float32Array(frameSize);
  for (let i = 0; i < frameSize; i++) shared[i] = prng.normal();
  const out = new Float32Array(frames * frameSize);
  const a = Math.sqrt(rho);
  const b = Math.sqrt(1 - rho);
  for (let i = 0; i < out.length; i++) out[i] = a * (shared[i % frameSize] as number) + b * prng.normal();
  return out;
}
