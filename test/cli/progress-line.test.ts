import { describe, expect, it } from 'vitest';
import { createProgressLine, describeProgress } from '../../src/cli/index.ts';
import { CapturedOutput } from './captured-output.ts';

const progress = (step: number) => ({
  step,
  totalSteps: 12,
  elapsedMs: step * 250,
  etaMs: (12 - step) * 250,
  tier: 'low',
});

describe('the progress line', () => {
  it('names the step, tier, time elapsed and time left', () => {
    expect(describeProgress(progress(5))).toBe('step 5/12 · tier low · 1.3 s elapsed · ETA 1.8 s');
    expect(describeProgress(progress(11))).toBe('step 11/12 · tier low · 2.8 s elapsed · ETA 250 ms');
  });

  it('when stderr is not a terminal, then writes one plain line per step', () => {
    const out = new CapturedOutput(false);
    const line = createProgressLine(out);
    line.step(progress(1));
    line.step(progress(2));
    line.done();
    expect(out.text).toBe(`${describeProgress(progress(1))}\n${describeProgress(progress(2))}\n`);
  });

  it('when stderr is a terminal, then rewrites one line in place and ends it once when done', () => {
    const out = new CapturedOutput(true);
    const line = createProgressLine(out);
    line.status('loading');
    line.step(progress(1));
    line.done();
    line.done();
    expect(out.chunks).toEqual(['\r\x1b[2Kloading', `\r\x1b[2K${describeProgress(progress(1))}`, '\n']);
  });

  it('when the terminal is narrow, then cuts the line short instead of wrapping it', () => {
    const out = new CapturedOutput(true, 20);
    createProgressLine(out).step(progress(1));
    expect(out.text).toBe(`\r\x1b[2K${describeProgress(progress(1)).slice(0, 19)}`);
  });
});
