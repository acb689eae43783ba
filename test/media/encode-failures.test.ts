import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { encodeMp4, findBinary, MediaError, MediaErrorCode } from '../../src/media/index.ts';
import { childCommands } from '../support/child-processes.ts';
import { movingSquare, noise } from './synthetic-frames.ts';

describe('when ffmpeg is missing', () => {
  it('a bad ffmpegPath fails with FFMPEG_NOT_FOUND that names the package and the option', async () => {
    const error = await encodeMp4(movingSquare(16, 16, 2), { ffmpegPath: '/nonexistent/bin/ffmpeg' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: MediaErrorCode.FfmpegNotFound });
    expect((error as Error).message).toContain('/nonexistent/bin/ffmpeg');
    expect((error as Error).message).toContain('apt-get install ffmpeg');
    expect((error as Error).message).toContain('ffmpegPath');
  });

  it('an empty PATH fails the lookup with a message that says what to install', async () => {
    await expect(findBinary('ffprobe', undefined, '')).rejects.toMatchObject({
      code: MediaErrorCode.FfprobeNotFound,
      message: expect.stringMatching(/ffprobe not found on PATH.*apt-get install ffmpeg.*ffprobePath/),
    });
  });
});

describe('when the signal aborts', () => {
  it('an encode in progress is killed and rejects with ABORTED, leaving no ffmpeg and no temp file', async () => {
    // Seconds of work at preset "slower"; the abort comes as soon as ffmpeg is seen running.
    const frames = noise(320, 240, 96);
    const tmpDir = await mkdtemp(join(tmpdir(), 'clipbot-abort-test-'));
    try {
      const controller = new AbortController();
      const encoding = encodeMp4(frames, { preset: 'slower', tmpDir, signal: controller.signal });
      const outcome = encoding.then(
        () => 'finished',
        (error: unknown) => error,
      );
      let settled = false;
      void outcome.finally(() => {
        settled = true;
      });
      while (!settled && !(await childCommands()).includes('ffmpeg')) await setTimeout(10);
      const abortedAt = Date.now();
      controller.abort();
      expect(await outcome).toMatchObject({ code: MediaErrorCode.Aborted });
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      expect(await childCommands()).not.toContain('ffmpeg');
      expect(await readdir(tmpDir)).toEqual([]);
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
  });

  it('an already aborted signal rejects with ABORTED without encoding', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    await expect(encodeMp4(movingSquare(16, 16, 2), { signal: controller.signal })).rejects.toMatchObject({
      code: MediaErrorCode.Aborted,
      cause: controller.signal.reason,
    });
  });
});
