import { describe, expect, it } from 'vitest';
import { MAX_CRF, MIN_SIDE, nextPlan, QUALITY_FLOOR_CRF } from '../../src/media/budget-ladder.ts';
import { outputSize, shrinkSize, videoFilter } from '../../src/media/output-size.ts';

const budget = { maxBytes: 1_000_000, durationSeconds: 2 };

describe('output size', () => {
  it('keeps even input sizes and rounds odd ones up to even', () => {
    expect(outputSize({ width: 64, height: 64 }, {})).toEqual({ width: 64, height: 64 });
    expect(outputSize({ width: 63, height: 47 }, {})).toEqual({ width: 64, height: 48 });
  });

  it('multiplies by upscale, and scaleTo wins over upscale', () => {
    expect(outputSize({ width: 64, height: 48 }, { upscale: 5 })).toEqual({ width: 320, height: 240 });
    expect(outputSize({ width: 33, height: 33 }, { upscale: 3 })).toEqual({ width: 100, height: 100 });
    expect(outputSize({ width: 64, height: 64 }, { upscale: 4, scaleTo: { width: 99, height: 50 } })).toEqual(
      {
        width: 100,
        height: 50,
      },
    );
  });

  it('needs no filter at the input size, pads a one-pixel edge, and scales anything else', () => {
    expect(videoFilter({ width: 64, height: 64 }, { width: 64, height: 64 })).toBeUndefined();
    expect(videoFilter({ width: 63, height: 64 }, { width: 64, height: 64 })).toMatch(
      /pad=64:64:0:0,fillborders=right=1:bottom=0:mode=smear/,
    );
    expect(videoFilter({ width: 64, height: 64 }, { width: 256, height: 256 })).toContain('flags=neighbor');
    expect(videoFilter({ width: 256, height: 256 }, { width: 128, height: 128 })).toContain('flags=area');
  });

  it('shrinks keeping the aspect ratio and even sides, never below the minimum side', () => {
    expect(shrinkSize({ width: 320, height: 240 }, 0.5, 16)).toEqual({ width: 160, height: 120 });
    expect(shrinkSize({ width: 64, height: 32 }, 0.1, 16)).toEqual({ width: 32, height: 16 });
  });
});

describe('budget ladder', () => {
  it('raises the CRF by about 6 for each halving still needed', () => {
    const next = nextPlan({ crf: 23, width: 256, height: 256 }, 4_000_000, budget);
    expect(next).toEqual({ crf: 35, width: 256, height: 256 });
  });

  it('raises the CRF by at least 3 even when the overshoot is tiny', () => {
    expect(nextPlan({ crf: 23, width: 256, height: 256 }, 1_000_001, budget)?.crf).toBe(26);
  });

  it('stops raising the CRF at the quality floor, then shrinks the picture under a bitrate cap', () => {
    expect(nextPlan({ crf: 30, width: 256, height: 256 }, 1e9, budget)?.crf).toBe(QUALITY_FLOOR_CRF);
    const shrunk = nextPlan({ crf: QUALITY_FLOOR_CRF, width: 256, height: 256 }, 2_000_000, budget);
    expect(shrunk).toMatchObject({ crf: QUALITY_FLOOR_CRF, width: 162, height: 162, maxrateKbps: 3400 });
  });

  it('at the smallest size goes to the highest CRF, and after that gives up', () => {
    const smallest = { crf: QUALITY_FLOOR_CRF, width: MIN_SIDE, height: MIN_SIDE };
    const last = nextPlan(smallest, 2_000_000, budget);
    expect(last).toMatchObject({ crf: MAX_CRF, width: MIN_SIDE });
    expect(last && nextPlan(last, 2_000_000, budget)).toBeUndefined();
  });
});
