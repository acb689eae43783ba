import type { FrameSequence } from '../../src/media/index.ts';

export type Direction = 'left' | 'right' | 'up' | 'down' | 'still';

export interface ClipAnalysis {
  /** Palette name nearest to the mean colour of the object pixels; null when nothing stands out. */
  colour: string | null;
  /** Net movement of the object centroid from the first quarter of frames to the last. */
  direction: Direction | null;
  /** Centroid per frame in (0, 1) coordinates, for messages. */
  track: { x: number; y: number }[];
}

const OBJECT_DISTANCE = 0.3;
const STILL_BELOW = 0.08;

/**
 * A deliberately simple analyser: background = median colour of each row (over all frames),
 * object = pixels far from it, colour = nearest palette entry to the object's mean colour,
 * direction = centroid track from the first quarter of frames to the last.
 */
export function analyseClip(clip: FrameSequence, palette: Record<string, readonly number[]>): ClipAnalysis {
  const { width: w, height: h, frames } = clip;
  const background = rowBackgrounds(clip);
  let [sumR, sumG, sumB] = [0, 0, 0];
  let count = 0;
  const track: { x: number; y: number }[] = [];
  for (const frame of frames) {
    let fx = 0;
    let fy = 0;
    let fn = 0;
    for (let y = 0; y < h; y++) {
      const [bgR = 0, bgG = 0, bgB = 0] = background[y] ?? [];
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        const [r, g, b] = [(frame[i] ?? 0) / 255, (frame[i + 1] ?? 0) / 255, (frame[i + 2] ?? 0) / 255];
        if (Math.hypot(r - bgR, g - bgG, b - bgB) <= OBJECT_DISTANCE) continue;
        sumR += r;
        sumG += g;
        sumB += b;
        count++;
        fx += (x + 0.5) / w;
        fy += (y + 0.5) / h;
        fn++;
      }
    }
    if (fn > 0) track.push({ x: fx / fn, y: fy / fn });
  }
  if (count < 3) return { colour: null, direction: null, track };
  const colour = nearest([sumR / count, sumG / count, sumB / count], palette);
  return { colour, direction: direction(track), track };
}

function direction(track: { x: number; y: number }[]): Direction | null {
  if (track.length < 2) return null;
  const k = Math.max(1, Math.floor(track.length / 4));
  const avg = (part: { x: number; y: number }[]) => ({
    x: part.reduce((s, p) => s + p.x, 0) / part.length,
    y: part.reduce((s, p) => s + p.y, 0) / part.length,
  });
  const a = avg(track.slice(0, k));
  const b = avg(track.slice(-k));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (Math.max(Math.abs(dx), Math.abs(dy)) < STILL_BELOW) return 'still';
  if (Math.abs(dx) > Math.abs(dy)) return dx > 0 ? 'right' : 'left';
  return dy > 0 ? 'down' : 'up';
}

function nearest([r, g, b]: [number, number, number], palette: Record<string, readonly number[]>): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [name, [pr = 0, pg = 0, pb = 0]] of Object.entries(palette)) {
    const d = Math.hypot(r - pr, g - pg, b - pb);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Median colour of each row over every pixel of every frame. */
function rowBackgrounds(clip: FrameSequence): number[][] {
  const { width: w, height: h, frames } = clip;
  const rows: number[][] = [];
  for (let y = 0; y < h; y++) {
    const channels = [0, 1, 2].map((c) =>
      frames.flatMap((frame) => Array.from({ length: w }, (_, x) => (frame[(y * w + x) * 3 + c] ?? 0) / 255)),
    );
    rows.push(channels.map(median));
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
