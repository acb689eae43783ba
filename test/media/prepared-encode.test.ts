import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaErrorCode, prepareMp4Encode, probeMp4 } from '../../src/media/index.ts';
import { childCommands } from '../support/child-processes.ts';
import { movingSquare } from './synthetic-frames.ts';

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'clipbot-prepared-test-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Waits until ffmpeg runs as this process's child (it is started before the frames exist). */
async function ffmpegRunning(): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if ((await childCommands()).includes('ffmpeg')) return true;
    await setTimeout(10);
  }
  return false;
}

describe('prepareMp4Encode', () => {
  it('starts ffmpeg before the frames exist, then makes the same MP4 as a plain encode', async () => {
    const prepared = await prepareMp4Encode(
      { width: 64, height: 48, fps: 8 },
      { upscale: 4, tmpDir: scratch },
    );
    expect(await ffmpegRunning()).toBe(true);
    const clip = await prepared.encode(movingSquare(64, 48, 8, 8));
    expect(await probeMp4(clip.bytes)).toMatchObject({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 256,
      height: 192,
      frameCount: 8,
      fps: 8,
    });
    expect(clip.attempts).toHaveLength(1);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('encodes frames of another size (a lower tier after a fallback) with a new ffmpeg', async () => {
    const prepared = await prepareMp4Encode(
      { width: 64, height: 64, fps: 8 },
      { upscale: 4, tmpDir: scratch },
    );
    const clip = await prepared.encode(movingSquare(32, 32, 6, 8));
    expect(await probeMp4(clip.bytes)).toMatchObject({ width: 128, height: 128, frameCount: 6 });
    expect(await childCommands()).not.toContain('ffmpeg');
    expect(await readdir(scratch)).toEqual([]);
  });

  it('disposing of an unused one stops its ffmpeg and removes its files', async () => {
    const prepared = await prepareMp4Encode({ width: 64, height: 64, fps: 8 }, { tmpDir: scratch });
    expect(await ffmpegRunning()).toBe(true);
    await prepared.dispose();
    for (let i = 0; i < 100 && (await childCommands()).includes('ffmpeg'); i++) await setTimeout(10);
    expect(await childCommands()).not.toContain('ffmpeg');
    expect(await readdir(scratch)).toEqual([]);
    await expect(prepared.encode(movingSquare(64, 64, 2, 8))).rejects.toThrow('already disposed');
  });

  it('an abort while it waits for frames rejects the encode with ABORTED', async () => {
    const controller = new AbortController();
    const prepared = await prepareMp4Encode({ width: 64, height: 64, fps: 8 }, { signal: controller.signal });
    controller.abort();
    await expect(prepared.encode(movingSquare(64, 64, 4, 8))).rejects.toMatchObject({
      code: MediaErrorCode.Aborted,
    });
  });

  it('bad frames get the same clear error as a plain encode, and nothing is left running', async () => {
    const prepared = await prepareMp4Encode({ width: 16, height: 16, fps: 8 }, { tmpDir: scratch });
    const frames = movingSquare(16, 16, 2, 8);
    frames.frames[1] = new Uint8Array(5);
    await expect(prepared.encode(frames)).rejects.toMatchObject({ code: MediaErrorCode.InvalidFrames });
    for (let i = 0; i < 100 && (await childCommands()).includes('ffmpeg'); i++) await setTimeout(10);
    expect(await childCommands()).not.toContain('ffmpeg');
    expect(await readdir(scratch)).toEqual([]);
  });
});
