import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMp4, MediaErrorCode, probeMp4 } from '../../src/media/index.ts';
import { movingSquare } from './synthetic-frames.ts';

let dir: string;
let clipPath: string;
let clipBytes: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipbot-probe-test-'));
  clipBytes = (await encodeMp4(movingSquare(48, 32, 10, 5))).bytes;
  clipPath = join(dir, 'clip.mp4');
  await writeFile(clipPath, clipBytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeMp4', () => {
  it('describes the same clip whether given its bytes or its path', async () => {
    const expected = {
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 48,
      height: 32,
      frameCount: 10,
      fps: 5,
      durationSeconds: 2,
    };
    expect(await probeMp4(clipBytes)).toEqual(expected);
    expect(await probeMp4(clipPath)).toEqual(expected);
  });

  it('a file that is not a video fails with PROBE_FAILED and ffprobe’s reason', async () => {
    const junk = join(dir, 'junk.mp4');
    await writeFile(junk, 'not an mp4 at all');
    await expect(probeMp4(junk)).rejects.toMatchObject({
      code: MediaErrorCode.ProbeFailed,
      message: expect.stringContaining('Invalid data'),
    });
  });

  it('a bad ffprobePath fails with FFPROBE_NOT_FOUND that names the package and the option', async () => {
    await expect(probeMp4(clipBytes, { ffprobePath: '/nonexistent/ffprobe' })).rejects.toMatchObject({
      code: MediaErrorCode.FfprobeNotFound,
      message: expect.stringMatching(/\/nonexistent\/ffprobe.*apt-get install ffmpeg.*ffprobePath/),
    });
  });
});
