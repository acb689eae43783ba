import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeMp4, type FrameSequence } from '../../src/media/index.ts';

// Its own file: fluent-ffmpeg's cache of what ffmpeg can do is module-wide, and empty here.
const clip: FrameSequence = {
  width: 64,
  height: 64,
  fps: 8,
  frames: Array.from({ length: 8 }, () => new Uint8Array(64 * 64 * 3).fill(90)),
};

let dir: string;
let ffmpeg: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipbot-capabilities-'));
  ffmpeg = join(dir, 'ffmpeg');
  // The real ffmpeg behind a script that writes down the first argument of every run.
  const real = execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim();
  await writeFile(ffmpeg, `#!/bin/sh\necho "$1" >> "${join(dir, 'runs.log')}"\nexec "${real}" "$@"\n`);
  await chmod(ffmpeg, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('six encodes started together ask ffmpeg for its formats and encoders once, not once each', async () => {
  const encoded = await Promise.all(Array.from({ length: 6 }, () => encodeMp4(clip, { ffmpegPath: ffmpeg })));
  expect(encoded.every((e) => e.bytes.length > 0)).toBe(true);
  const runs = (await readFile(join(dir, 'runs.log'), 'utf8')).trim().split('\n');
  expect(runs.filter((first) => first === '-formats')).toHaveLength(1);
  expect(runs.filter((first) => first === '-encoders')).toHaveLength(1);
  expect(runs.filter((first) => first === '-f')).toHaveLength(6); // the encodes: -f rawvideo first
});
