import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ffmpeg's encoder and options for each picture format a test needs. */
const ENCODERS = {
  png: ['-c:v', 'png', '-f', 'image2pipe'],
  jpeg: ['-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe'],
  /** Lossy WebP: a `VP8 ` chunk. */
  webp: ['-c:v', 'libwebp', '-lossless', '0', '-f', 'webp'],
  /** Lossless WebP: a `VP8L` chunk. */
  'webp-lossless': ['-c:v', 'libwebp', '-lossless', '1', '-f', 'webp'],
  gif: ['-c:v', 'gif', '-f', 'gif'],
} as const;

/** A real picture from ffmpeg's test pattern: `width`×`height` pixels in `format`. */
export async function testPicture(
  format: keyof typeof ENCODERS,
  width: number,
  height: number,
): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc=size=${width}x${height}:rate=1`, '-frames:v', '1'],
      ...ENCODERS[format],
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
