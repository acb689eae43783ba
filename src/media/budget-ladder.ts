import { shrinkSize } from './output-size.ts';

/** The settings of one encode attempt. */
export interface AttemptPlan {
  crf: number;
  width: number;
  height: number;
  /** x264 VBV cap in kbit/s, set once lowering quality alone did not fit the budget. */
  maxrateKbps?: number;
}

/** One encode attempt and what it produced. */
export interface EncodeAttempt extends AttemptPlan {
  sizeBytes: number;
  withinBudget: boolean;
}

/** Past this CRF x264 turns to blocks; a smaller picture at this CRF looks better than a worse CRF. */
export const QUALITY_FLOOR_CRF = 40;
export const MAX_CRF = 51;
/** The short side never shrinks below this many pixels. */
export const MIN_SIDE = 16;

/** The bitrate that fills `maxBytes` over the clip, less room for the container. */
export function budgetKbps(maxBytes: number, durationSeconds: number): number {
  return Math.max(1, Math.floor((maxBytes * 8 * 0.85) / durationSeconds / 1000));
}

/**
 * What to try after an attempt of `sizeBytes` overshot `maxBytes`, or undefined when nothing smaller
 * is left to try. First raise the CRF (about +6 halves the size) up to the quality floor, then shrink
 * the picture with a bitrate cap, and last go to the highest CRF at the smallest size.
 */
export function nextPlan(
  prev: AttemptPlan,
  sizeBytes: number,
  budget: { maxBytes: number; durationSeconds: number },
): AttemptPlan | undefined {
  const ratio = sizeBytes / budget.maxBytes;
  const maxrateKbps = budgetKbps(budget.maxBytes, budget.durationSeconds);
  if (prev.crf < QUALITY_FLOOR_CRF) {
    const step = Math.max(3, Math.ceil(6 * Math.log2(ratio)));
    return { ...prev, crf: Math.min(QUALITY_FLOOR_CRF, prev.crf + step) };
  }
  if (Math.min(prev.width, prev.height) > MIN_SIDE) {
    const factor = Math.min(0.85, Math.max(0.5, 0.9 / Math.sqrt(ratio)));
    const size = shrinkSize(prev, factor, MIN_SIDE);
    return { ...size, crf: prev.crf, maxrateKbps };
  }
  if (prev.crf < MAX_CRF) return { ...prev, crf: MAX_CRF, maxrateKbps };
  return undefined;
}
