import { spawn } from 'node:child_process';
import { findBinary } from './find-binary.ts';
import type { FrameSequence } from './frame-sequence.ts';
import { abortedError, MediaError, MediaErrorCode } from './media-error.ts';

export interface DecodeOptions {
  /** Every frame is scaled to this size (an inference server's output may differ by a few pixels). */
  width: number;
  height: number;
  fps: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/**
 * Decodes a video file's bytes (an MP4 or WebM from an inference server) into RGB24 frames of the
 * given size and rate, so the worker encodes it again with its own encoder: to the requester's
 * upload limit, with the caption, like any clip.
 */
export async function decodeVideo(bytes: Uint8Array, options: DecodeOptions): Promise<FrameSequence> {
  const ffmpegPath = await findBinary('ffmpeg', options.ffmpegPath);
  const { width, height, fps } = options;
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0'],
    ...['-vf', `scale=${width}:${height}:flags=bicubic,fps=${fps}`],
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
  ];
  const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const kill = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', kill, { once: true });
  const chunks: Buffer[] = [];
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-2_000);
  });
  child.stdin.on('error', () => {}); // ffmpeg may stop reading early on a broken file: its exit says why
  child.stdin.end(bytes);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (options.signal?.aborted) throw abortedError(options.signal, 'decoding');
    if (code !== 0)
      throw new MediaError(
        MediaErrorCode.EncodeFailed,
        `ffmpeg could not decode the video (exit ${code}): ${errors.trim()}`,
      );
  } finally {
    options.signal?.removeEventListener('abort', kill);
  }
  const all = Buffer.concat(chunks);
  const size = width * height * 3;
  const frames: Uint8Array[] = [];
  for (let at = 0; at + size <= all.length; at += size) frames.push(all.subarray(at, at + size));
  if (frames.length === 0) throw new MediaError(MediaErrorCode.EncodeFailed, 'the video has no frames');
  return { width, height, fps, frames };
}
