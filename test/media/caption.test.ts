import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMp4, type FrameSequence, layoutCaption } from '../../src/media/index.ts';

const run = promisify(execFile);

/** Eight mid-grey 64×64 frames: nothing in them is near white. */
const grey: FrameSequence = {
  width: 64,
  height: 64,
  fps: 8,
  frames: Array.from({ length: 8 }, () => new Uint8Array(64 * 64 * 3).fill(110)),
};

/** The first frame of an MP4 as 8-bit grey pixels. */
async function firstFrame(
  bytes: Buffer,
  dir: string,
): Promise<{ pixels: Buffer; width: number; height: number }> {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.mp4`);
  await writeFile(file, bytes);
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    {
      encoding: 'buffer',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return { pixels: stdout, width: 256, height: 256 };
}

/** How many near-white pixels lie in rows [from, to) of the frame. */
function brightIn(frame: { pixels: Buffer; width: number }, from: number, to: number): number {
  let count = 0;
  for (let i = from * frame.width; i < to * frame.width; i++) if ((frame.pixels[i] ?? 0) > 200) count++;
  return count;
}

describe('captions burned into clips', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-caption-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lays a short caption in large type, and wraps and shrinks a long one to at most three', () => {
    const square = { width: 256, height: 256 };
    expect(layoutCaption('Happy Friday!', square)).toEqual({ lines: ['Happy Friday!'], heightShare: 0.1 });
    expect(layoutCaption('Happy birthday, Sam!', square)).toEqual({
      lines: ['Happy', 'birthday, Sam!'],
      heightShare: 0.1,
    });
    const long = layoutCaption(
      'Friday night at the community hall: music, games and a surprise for everyone who comes',
      square,
    );
    expect(long.lines.length).toBeLessThanOrEqual(3);
    expect(long.lines.join(' ')).toBe(
      'Friday night at the community hall: music, games and a surprise for everyone who comes',
    );
    expect(long.heightShare).toBeLessThan(0.1);
    const endless = layoutCaption('word '.repeat(60), square);
    expect(endless.lines).toHaveLength(3);
    expect(endless.lines[2]?.endsWith('…')).toBe(true);
    // A word longer than a line is broken, and never inside a character made of two UTF-16 units.
    const emoji = layoutCaption(`${'🎉'.repeat(40)}`, square);
    expect(emoji.lines.every((line) => !/[\uD800-\uDBFF]$/.test(line))).toBe(true);
  });

  it('keeps hostile text as text: quotes, colons, backslashes, %{…}, $(…) and newlines render, and ffmpeg runs', async () => {
    const hostile = `Sam's "party": 100% \\ %{localtime} $(id) \`id\`;\nünïcödé ✓ ${'\\'}n`;
    const captioned = await encodeMp4(grey, { upscale: 4, caption: hostile, tmpDir: dir });
    const plain = await encodeMp4(grey, { upscale: 4, tmpDir: dir });
    const withText = await firstFrame(captioned.bytes, dir);
    const without = await firstFrame(plain.bytes, dir);
    // White text at the bottom; nothing drawn in the top half.
    expect(brightIn(withText, 160, 256)).toBeGreaterThan(200);
    expect(brightIn(without, 160, 256)).toBe(0);
    expect(brightIn(withText, 0, 128)).toBe(0);
    // Nothing is left behind in the encode's folder, the caption's text file included.
    expect((await readdir(dir)).filter((f) => f.startsWith('clipbot-encode-'))).toEqual([]);
  });

  it('fits the upload budget with a caption too, keeping it on the smaller attempts', async () => {
    const clip = await encodeMp4(grey, {
      upscale: 4,
      caption: 'Happy birthday, Sam!',
      maxBytes: 3_000,
      tmpDir: dir,
    });
    expect(clip.bytes.byteLength).toBeLessThanOrEqual(3_000);
  });
});
