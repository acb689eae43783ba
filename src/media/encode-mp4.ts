import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type AttemptPlan, type EncodeAttempt, nextPlan } from './budget-ladder.ts';
import { layoutCaption, MAX_CAPTION_LENGTH } from './caption.ts';
import { findBinary } from './find-binary.ts';
import { assertFrameSequence, type FrameSequence, sequenceDurationMs } from './frame-sequence.ts';
import { MediaError, MediaErrorCode, toMediaError } from './media-error.ts';
import { outputSize, type ScaleOptions } from './output-size.ts';
import { type FrameFormat, runEncode, startEncode } from './run-encode.ts';

/** Discord's default upload limit; pass the guild's or workspace's real limit when known. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** A safety stop for the budget ladder; it normally ends well before this. */
const MAX_ATTEMPTS = 12;

/** Options for {@link encodeMp4}. */
export interface EncodeMp4Options extends ScaleOptions {
  /** Byte budget for the MP4 (default 10 MiB). Quality and then size drop until it fits. */
  maxBytes?: number;
  /** CRF of the first attempt (default 23; lower is better quality). */
  crf?: number;
  /** x264 preset (default 'medium'). */
  preset?: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow' | 'slower';
  /** ffmpeg binary; default: `ffmpeg` on PATH. */
  ffmpegPath?: string;
  /** Folder for the temporary MP4 (default: the OS temp folder). */
  tmpDir?: string;
  /** Aborting kills ffmpeg and rejects with MediaError ABORTED. */
  signal?: AbortSignal;
  /** Text burned into the bottom of the clip (wrapped, shrunk to fit; up to 120 characters). */
  caption?: string;
  /** The caption's font (default: Debian's DejaVu Sans). */
  captionFont?: string;
}

/** An encoded clip and how it was made. */
export interface EncodedClip {
  bytes: Buffer;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** CRF of the attempt that was kept. */
  crf: number;
  /** Every attempt in order; the kept one is the first within budget, else the smallest. */
  attempts: EncodeAttempt[];
  durationMs: number;
  /** False only when even the smallest attempt overshot the budget (a budget of a few KB). */
  withinBudget: boolean;
}

const optionsSchema = z.object({
  maxBytes: z.number().int().positive().optional(),
  crf: z.number().int().min(0).max(51).optional(),
  upscale: z.number().int().min(1).max(64).optional(),
  scaleTo: z
    .object({ width: z.number().int().min(2).max(8192), height: z.number().int().min(2).max(8192) })
    .optional(),
  caption: z.string().max(MAX_CAPTION_LENGTH).optional(),
});

/**
 * Encodes RGB24 frames to an H.264/yuv420p MP4 with faststart, within a byte budget: it tries a good
 * CRF first and, while the result is too big, lowers quality and then resolution. It never fails for
 * size alone; see `withinBudget`.
 */
export async function encodeMp4(frames: FrameSequence, options: EncodeMp4Options = {}): Promise<EncodedClip> {
  assertFrameSequence(frames);
  const prepared = await prepareMp4Encode(frames, options);
  return prepared.encode(frames);
}

/** An encode whose first ffmpeg run is already started and waits for the frames. */
export interface PreparedMp4Encode {
  /**
   * Encodes the frames as {@link encodeMp4} does. Frames of the prepared size and rate go to the
   * waiting ffmpeg; any others (a lower tier after a fallback) start a new one. Call it at most once.
   */
  encode(frames: FrameSequence): Promise<EncodedClip>;
  /** Stops the waiting ffmpeg and removes its temporary folder when the frames never come. */
  dispose(): Promise<void>;
}

/**
 * Starts ffmpeg for frames of `format` before they exist. Loading ffmpeg takes about 150 ms of a small
 * clip's 270 ms encode; a worker that prepares while the model samples saves that time per clip.
 */
export async function prepareMp4Encode(
  format: FrameFormat,
  options: EncodeMp4Options = {},
): Promise<PreparedMp4Encode> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new MediaError(
      MediaErrorCode.InvalidOptions,
      `invalid encode options: ${z.prettifyError(parsed.error)}`,
    );
  }
  const ffmpegPath = await findBinary('ffmpeg', options.ffmpegPath);
  // Files, not a folder: ffmpeg creates its output only once frames arrive, so a worker killed while
  // its ffmpeg waits (kill -9 mid-sampling) leaves nothing behind but a caption's small text file.
  const base = join(options.tmpDir ?? tmpdir(), `clipbot-encode-${randomUUID()}`);
  const attemptPath = (index: number) => `${base}-attempt-${index}.mp4`;
  let attemptsRun = 1;
  const firstPlan = (input: FrameFormat): AttemptPlan => ({
    crf: options.crf ?? 23,
    ...outputSize(input, options),
  });
  // The caption's text goes to ffmpeg in a file, never in its arguments or filter graph.
  const captionFile = `${base}-caption.txt`;
  const caption = options.caption?.trim()
    ? {
        textFile: captionFile,
        layout: layoutCaption(options.caption, firstPlan(format)),
        fontFile: options.captionFont,
      }
    : undefined;
  if (caption) await writeFile(captionFile, caption.layout.lines.join('\n'), 'utf8');
  const run = { ffmpegPath, preset: options.preset ?? 'medium', signal: options.signal, caption };
  const waiting = startEncode({
    ...run,
    frames: format,
    plan: firstPlan(format),
    outputPath: attemptPath(0),
  });
  waiting.finished.catch(() => {}); // read in encode(); a disposed one is killed on purpose
  let state: 'waiting' | 'used' | 'disposed' = 'waiting';
  const cleanUp = () =>
    Promise.all([
      ...Array.from({ length: attemptsRun }, (_, index) => rm(attemptPath(index), { force: true })),
      rm(captionFile, { force: true }),
    ]);
  return {
    encode: async (frames) => {
      if (state !== 'waiting') throw new Error(`this prepared encode was already ${state}`);
      state = 'used';
      try {
        assertFrameSequence(frames);
        const fed = sameFormat(format, frames);
        if (fed) waiting.feed(frames.frames);
        else waiting.kill();
        const attempt = async (plan: AttemptPlan, index: number): Promise<Buffer> => {
          const outputPath = attemptPath(index);
          attemptsRun = Math.max(attemptsRun, index + 1);
          if (index === 0 && fed) await waiting.finished;
          else await runEncode({ ...run, frames, plan, outputPath });
          const bytes = await readFile(outputPath);
          await rm(outputPath, { force: true });
          return bytes;
        };
        return await encodeWithinBudget(
          frames,
          options.maxBytes ?? DEFAULT_MAX_BYTES,
          firstPlan(frames),
          attempt,
        );
      } catch (error) {
        waiting.kill();
        throw toMediaError(error, MediaErrorCode.EncodeFailed, 'encoding failed');
      } finally {
        await cleanUp();
      }
    },
    dispose: async () => {
      if (state !== 'waiting') return;
      state = 'disposed';
      waiting.kill();
      await cleanUp();
    },
  };
}

const sameFormat = (a: FrameFormat, b: FrameFormat) =>
  a.width === b.width && a.height === b.height && a.fps === b.fps;

/**
 * The budget ladder: runs the first plan and, while the MP4 is too big, the next one. Every attempt
 * before a fitting one overshot, so the smallest attempt is also the one to keep.
 */
async function encodeWithinBudget(
  frames: FrameSequence,
  maxBytes: number,
  firstPlan: AttemptPlan,
  attempt: (plan: AttemptPlan, index: number) => Promise<Buffer>,
): Promise<EncodedClip> {
  const durationMs = sequenceDurationMs(frames);
  const budget = { maxBytes, durationSeconds: durationMs / 1000 };
  const attempts: EncodeAttempt[] = [];
  let best: { bytes: Buffer; attempt: EncodeAttempt } | undefined;
  let plan: AttemptPlan | undefined = firstPlan;
  while (plan !== undefined && attempts.length < MAX_ATTEMPTS) {
    const bytes = await attempt(plan, attempts.length);
    const made = { ...plan, sizeBytes: bytes.byteLength, withinBudget: bytes.byteLength <= maxBytes };
    attempts.push(made);
    if (best === undefined || bytes.byteLength < best.bytes.byteLength) best = { bytes, attempt: made };
    if (made.withinBudget) break;
    plan = nextPlan(plan, bytes.byteLength, budget);
  }
  if (best === undefined) throw new MediaError(MediaErrorCode.EncodeFailed, 'no encode attempt ran');
  return {
    bytes: best.bytes,
    width: best.attempt.width,
    height: best.attempt.height,
    fps: frames.fps,
    frameCount: frames.frames.length,
    crf: best.attempt.crf,
    attempts,
    durationMs,
    withinBudget: best.attempt.withinBudget,
  };
}
