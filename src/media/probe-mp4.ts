import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { findBinary } from './find-binary.ts';
import { abortedError, MediaError, MediaErrorCode } from './media-error.ts';

const run = promisify(execFile);

/** What ffprobe says about an MP4's first video stream. */
export interface Mp4Probe {
  codec: string;
  pixelFormat: string;
  width: number;
  height: number;
  /** Frames actually decoded (ffprobe -count_frames), not the container's claim. */
  frameCount: number;
  fps: number;
  durationSeconds: number;
}

/** Options for {@link probeMp4}. */
export interface ProbeMp4Options {
  /** ffprobe binary; default: `ffprobe` on PATH. */
  ffprobePath?: string;
  /** Folder for the temporary copy when bytes are given (default: the OS temp folder). */
  tmpDir?: string;
  signal?: AbortSignal;
}

const numeric = z.union([z.number(), z.string().regex(/^-?[\d.]+$/)]).transform(Number);
const ffprobeSchema = z.object({
  streams: z.array(
    z.object({
      codec_type: z.string(),
      codec_name: z.string(),
      pix_fmt: z.string().optional(),
      width: z.number().int().optional(),
      height: z.number().int().optional(),
      nb_read_frames: numeric.optional(),
      avg_frame_rate: z.string(),
      r_frame_rate: z.string(),
      duration: numeric.optional(),
    }),
  ),
  format: z.object({ duration: numeric.optional() }),
});

/** "24000/1001" → 23.976…; "0/0" → 0. */
function parseRate(rate: string): number {
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  return den === undefined ? num : den === 0 ? 0 : num / den;
}

async function ffprobeJson(ffprobePath: string, file: string, signal?: AbortSignal): Promise<unknown> {
  const args = [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_streams',
    '-show_format',
    '-count_frames',
    file,
  ];
  try {
    const { stdout } = await run(ffprobePath, args, { signal, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout);
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, 'probing');
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const detail = stderr || (error instanceof Error ? error.message : String(error));
    throw new MediaError(MediaErrorCode.ProbeFailed, `ffprobe could not read ${file}: ${detail}`, {
      cause: error,
    });
  }
}

/** Runs ffprobe on an MP4 (bytes or a file path) and describes its first video stream. */
export async function probeMp4(input: Uint8Array | string, options: ProbeMp4Options = {}): Promise<Mp4Probe> {
  const ffprobePath = await findBinary('ffprobe', options.ffprobePath);
  let dir: string | undefined;
  try {
    let file = input;
    if (typeof file !== 'string') {
      dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'clipbot-probe-'));
      file = join(dir, 'clip.mp4');
      await writeFile(file, input);
    }
    const parsed = ffprobeSchema.safeParse(await ffprobeJson(ffprobePath, file, options.signal));
    if (!parsed.success) {
      throw new MediaError(
        MediaErrorCode.ProbeFailed,
        `unexpected ffprobe output: ${z.prettifyError(parsed.error)}`,
      );
    }
    const video = parsed.data.streams.find((stream) => stream.codec_type === 'video');
    if (video === undefined) throw new MediaError(MediaErrorCode.ProbeFailed, 'the file has no video stream');
    return {
      codec: video.codec_name,
      pixelFormat: video.pix_fmt ?? 'unknown',
      width: video.width ?? 0,
      height: video.height ?? 0,
      frameCount: video.nb_read_frames ?? 0,
      fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
      durationSeconds: video.duration ?? parsed.data.format.duration ?? 0,
    };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}
