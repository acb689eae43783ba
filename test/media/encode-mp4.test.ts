import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeMp4, MediaErrorCode, probeMp4 } from '../../src/media/index.ts';
import { BACKGROUND, decodeRgb, movingSquare, near, noise, pixel, SQUARE } from './synthetic-frames.ts';

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'clipbot-encode-test-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('encodeMp4', () => {
  it('turns RGB frames into an H.264 yuv420p MP4 with every frame, the input fps and the right duration', async () => {
    const clip = await encodeMp4(movingSquare(64, 64, 24, 12), { tmpDir: scratch });
    const probe = await probeMp4(clip.bytes);
    expect(probe).toEqual({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 64,
      height: 64,
      frameCount: 24,
      fps: 12,
      durationSeconds: 2,
    });
    expect(clip).toMatchObject({ width: 64, height: 64, fps: 12, frameCount: 24, crf: 23, durationMs: 2000 });
    expect(clip.withinBudget).toBe(true);
    expect(clip.attempts).toHaveLength(1);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('keeps colours and orientation: the decoded square is red where it was drawn, on blue', async () => {
    const clip = await encodeMp4(movingSquare(64, 64, 12, 12), { crf: 18 });
    const [first] = await decodeRgb(clip.bytes, 64, 64);
    if (first === undefined) throw new Error('no frame decoded');
    expect(near(pixel(first, 64, 8, 32), SQUARE)).toBe(true);
    expect(near(pixel(first, 64, 50, 5), BACKGROUND)).toBe(true);
  });

  it('puts the moov atom before mdat (faststart), so chat clients can play while downloading', async () => {
    const clip = await encodeMp4(movingSquare(32, 32, 6, 6));
    const moov = clip.bytes.indexOf('moov');
    const mdat = clip.bytes.indexOf('mdat');
    expect(moov).toBeGreaterThan(0);
    expect(moov).toBeLessThan(mdat);
  });

  it('pads odd input sizes up to even dimensions, repeating the edge pixels rather than drawing black', async () => {
    const clip = await encodeMp4(movingSquare(63, 47, 12, 12, 8), { crf: 18 });
    const probe = await probeMp4(clip.bytes);
    expect([probe.width, probe.height, probe.frameCount]).toEqual([64, 48, 12]);
    expect([clip.width, clip.height]).toEqual([64, 48]);
    const [first] = await decodeRgb(clip.bytes, 64, 48);
    if (first === undefined) throw new Error('no frame decoded');
    expect(near(pixel(first, 64, 63, 5), BACKGROUND)).toBe(true);
    expect(near(pixel(first, 64, 30, 47), BACKGROUND)).toBe(true);
  });

  it('enlarges a tiny clip by an integer factor with nearest-neighbour, keeping square edges crisp', async () => {
    const clip = await encodeMp4(movingSquare(64, 64, 12, 12), { upscale: 4, crf: 18 });
    expect([clip.width, clip.height]).toEqual([256, 256]);
    const [first] = await decodeRgb(clip.bytes, 256, 256);
    if (first === undefined) throw new Error('no frame decoded');
    // The square covers source columns 0–15, i.e. output columns 0–63: the edge stays one pixel sharp.
    expect(near(pixel(first, 256, 62, 128), SQUARE)).toBe(true);
    expect(near(pixel(first, 256, 65, 128), BACKGROUND)).toBe(true);
  });

  it('rounds an odd scaleTo size up to even', async () => {
    const clip = await encodeMp4(movingSquare(64, 64, 6, 6), { scaleTo: { width: 201, height: 101 } });
    const probe = await probeMp4(clip.bytes);
    expect([probe.width, probe.height]).toEqual([202, 102]);
  });

  it('keeps a fractional frame rate such as 24000/1001', async () => {
    const clip = await encodeMp4(movingSquare(32, 32, 24, 24000 / 1001));
    const probe = await probeMp4(clip.bytes);
    expect(probe.fps).toBeCloseTo(23.976, 3);
    expect(probe.frameCount).toBe(24);
  });

  it('meets a 20 KB budget on noisy frames by lowering quality instead of failing', async () => {
    const maxBytes = 20 * 1024;
    const clip = await encodeMp4(noise(96, 96, 24), { maxBytes, tmpDir: scratch });
    expect(clip.withinBudget).toBe(true);
    expect(clip.bytes.byteLength).toBeLessThanOrEqual(maxBytes);
    expect(clip.attempts.length).toBeGreaterThan(1);
    expect(clip.attempts[0]).toMatchObject({ crf: 23, withinBudget: false });
    expect(clip.crf).toBeGreaterThan(23);
    expect((await probeMp4(clip.bytes)).frameCount).toBe(24);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('shrinks the picture under a bitrate cap when the highest sensible CRF still overshoots', async () => {
    const clip = await encodeMp4(noise(128, 128, 24), { maxBytes: 5000 });
    expect(clip.withinBudget).toBe(true);
    expect(clip.bytes.byteLength).toBeLessThanOrEqual(5000);
    expect(clip.width).toBeLessThan(128);
    expect(clip.width % 2).toBe(0);
    expect(clip.attempts.at(-1)?.maxrateKbps).toBeGreaterThan(0);
    const probe = await probeMp4(clip.bytes);
    expect([probe.width, probe.height, probe.frameCount]).toEqual([clip.width, clip.height, 24]);
  });

  it('returns the smallest clip, marked not within budget, when no MP4 can be that small', async () => {
    const clip = await encodeMp4(noise(64, 64, 12), { maxBytes: 300 });
    expect(clip.withinBudget).toBe(false);
    const sizes = clip.attempts.map((attempt) => attempt.sizeBytes);
    expect(clip.bytes.byteLength).toBe(Math.min(...sizes));
    expect(clip.attempts.at(-1)).toMatchObject({ crf: 51, width: 16, height: 16 });
  });

  it('rejects frames of the wrong byte length with INVALID_FRAMES before running ffmpeg', async () => {
    const seq = movingSquare(16, 16, 3);
    seq.frames[1] = new Uint8Array(10);
    await expect(encodeMp4(seq)).rejects.toMatchObject({
      code: MediaErrorCode.InvalidFrames,
      message: expect.stringContaining('frame 1 has 10 bytes'),
    });
  });
});
