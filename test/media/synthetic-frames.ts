import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FrameSequence } from '../../src/media/index.ts';

export const BACKGROUND = [20, 30, 120] as const;
export const SQUARE = [230, 40, 40] as const;

/** A red square of side `side` moving one step right per frame over a dark blue background. */
export function movingSquare(
  width: number,
  height: number,
  count: number,
  fps = 12,
  side = 16,
): FrameSequence {
  const frames = Array.from({ length: count }, (_, t) => {
    const frame = new Uint8Array(width * height * 3);
    const left = (t * 2) % Math.max(1, width - side);
    const top = Math.floor((height - side) / 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= left && x < left + side && y >= top && y < top + side;
        frame.set(inside ? SQUARE : BACKGROUND, (y * width + x) * 3);
      }
    }
    return frame;
  });
  return { width, height, fps, frames };
}

/** Deterministic white noise: the worst case for a byte budget. */
export function noise(width: number, height: number, count: number, fps = 12, seed = 1): FrameSequence {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return (r ^ (r >>> 14)) >>> 0;
  };
  const frames = Array.from({ length: count }, () => {
    const frame = new Uint8Array(width * height * 3);
    for (let i = 0; i < frame.length; i++) frame[i] = next() & 0xff;
    return frame;
  });
  return { width, height, fps, frames };
}

/** Decodes an MP4 back to RGB24 frames with the real ffmpeg. */
export async function decodeRgb(mp4: Uint8Array, width: number, height: number): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'clipbot-test-'));
  try {
    const file = join(dir, 'clip.mp4');
    await writeFile(file, mp4);
    const args = ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
    const { stdout } = await promisify(execFile)('ffmpeg', args, {
      encoding: 'buffer',
      maxBuffer: 256 * 1024 * 1024,
    });
    const size = width * height * 3;
    return Array.from({ length: stdout.byteLength / size }, (_, i) =>
      stdout.subarray(i * size, (i + 1) * size),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The RGB pixel at (x, y) of a packed RGB24 frame. */
export function pixel(frame: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return Array.from(frame.subarray(i, i + 3));
}

/** True when two colours are within `tolerance` on every channel (yuv420p rounding is lossy). */
export function near(a: readonly number[], b: readonly number[], tolerance = 24): boolean {
  return a.every((value, i) => Math.abs(value - (b[i] ?? 0)) <= tolerance);
}
