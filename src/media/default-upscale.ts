import type { Size } from './output-size.ts';

/** Chat clients show tiny videos as postage stamps; 256 px on the short side reads well. */
const MIN_SHORT_SIDE = 256;

/** The smallest whole factor that brings the short side to at least 256 px (1 when already there). */
export function defaultUpscale(size: Size): number {
  return Math.max(1, Math.ceil(MIN_SHORT_SIDE / Math.min(size.width, size.height)));
}
