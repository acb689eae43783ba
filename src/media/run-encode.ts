import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { AttemptPlan } from './budget-ladder.ts';
import { type CaptionLayout, captionFilter } from './caption.ts';
import type { FrameSequence } from './frame-sequence.ts';
import { abortedError, MediaError, MediaErrorCode } from './media-error.ts';
import { videoFilter } from './output-size.ts';

/** The raw input ffmpeg is told to expect: what a FrameSequence is, less its frames. */
export type FrameFormat = Omit<FrameSequence, 'frames'>;

/** Everything one ffmpeg run needs. */
export interface EncodeRun {
  ffmpegPath: string;
  frames: FrameFormat;
  plan: AttemptPlan;
  preset: string;
  outputPath: string;
  signal?: AbortSignal;
  /** A caption burned in at the output size: its text in a file, its layout, the font. */
  caption?: { textFile: string; layout: CaptionLayout; fontFile?: string };
}

/** An ffmpeg process started before its frames exist, waiting for them on stdin. */
export interface StartedEncode {
  /** Hands over every frame and closes stdin; ffmpeg then finishes the MP4. */
  feed(frames: readonly Uint8Array[]): void;
  /** Settles when ffmpeg exits: resolved once the MP4 is written, rejected with a MediaError. */
  finished: Promise<void>;
  kill(): void;
}

function outputOptions(run: EncodeRun): string[] {
  const { plan } = run;
  const size = { width: plan.width, height: plan.height };
  const caption =
    run.caption && captionFilter(run.caption.textFile, run.caption.layout, size, run.caption.fontFile);
  const filters = [videoFilter(run.frames, plan), caption].filter((f): f is string => f !== undefined);
  const filter = filters.length > 0 ? filters.join(',') : undefined;
  const rate = plan.maxrateKbps;
  return [
    ...(filter === undefined ? [] : ['-vf', filter]),
    ...['-c:v', 'libx264', '-preset', run.preset, '-crf', String(plan.crf), '-pix_fmt', 'yuv420p'],
    ...(rate === undefined ? [] : ['-maxrate', `${rate}k`, '-bufsize', `${rate}k`]),
    ...['-movflags', '+faststart', '-an', '-f', 'mp4'],
  ];
}

/**
 * fluent-ffmpeg asks ffmpeg for its formats and encoders (`ffmpeg -formats`, `ffmpeg -encoders`) before
 * each run until its module-wide cache holds them, so runs that start together each ask: two more
 * processes a run, and each spawn holds the event loop 10–50 ms in a worker that holds a model. The
 * first run of each binary asks once for all; a failed question leaves each run to ask (and fail) itself.
 */
const capabilities = new Map<string, Promise<void>>();
function askCapabilitiesOnce(ffmpegPath: string): Promise<void> {
  let asking = capabilities.get(ffmpegPath);
  if (!asking) {
    ffmpeg.setFfmpegPath(ffmpegPath);
    asking = new Promise<void>((resolve) => {
      ffmpeg.getAvailableFormats(() => ffmpeg.getAvailableEncoders(() => resolve()));
    });
    capabilities.set(ffmpegPath, asking);
  }
  return asking;
}

/** Encodes the frames once with the plan's settings into `outputPath`. */
export function runEncode(run: EncodeRun & { frames: FrameSequence }): Promise<void> {
  const started = startEncode(run);
  started.feed(run.frames.frames);
  return started.finished;
}

/**
 * Starts ffmpeg now and lets the frames come later, piped as raw RGB24 on stdin. Starting ffmpeg
 * (loading its libraries) is most of the cost of a small clip's encode, so a worker starts it while
 * the model is still sampling. Kills ffmpeg (SIGKILL) when the signal aborts.
 */
export function startEncode(run: EncodeRun): StartedEncode {
  const { signal, frames } = run;
  const input = new PassThrough();
  let command: ffmpeg.FfmpegCommand | undefined;
  let killed = false;
  const kill = (): void => {
    killed = true;
    command?.kill('SIGKILL');
    input.destroy();
  };
  const finished = new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal, 'encoding'));
      return;
    }
    void askCapabilitiesOnce(run.ffmpegPath)
      .then(() => {
        if (signal?.aborted) return reject(abortedError(signal, 'encoding'));
        if (killed)
          return reject(new MediaError(MediaErrorCode.EncodeFailed, 'ffmpeg stopped before it started'));
        // fluent-ffmpeg keeps the binary path in a module-wide cache, not per command: set it per run.
        ffmpeg.setFfmpegPath(run.ffmpegPath);
        const cmd = ffmpeg()
          .input(input)
          .inputFormat('rawvideo')
          .inputOptions([
            '-pix_fmt',
            'rgb24',
            '-s',
            `${frames.width}x${frames.height}`,
            '-r',
            String(frames.fps),
          ])
          .output(run.outputPath)
          .outputOptions(outputOptions(run));
        command = cmd;
        signal?.addEventListener('abort', kill, { once: true });
        // kill() before the process exists is a no-op, so 'start' checks again.
        cmd.on('start', () => {
          if (killed || signal?.aborted) kill();
        });
        cmd.on('error', (error: Error & { code?: string }) => {
          signal?.removeEventListener('abort', kill);
          if (signal?.aborted) {
            reject(abortedError(signal, 'encoding'));
          } else if (error.code === 'ENOENT' || error.code === 'EACCES') {
            reject(
              new MediaError(
                MediaErrorCode.FfmpegNotFound,
                `could not start ffmpeg at ${run.ffmpegPath} (${error.code}). Install it (\`apt-get install ffmpeg\`) or set the ffmpegPath option.`,
                { cause: error },
              ),
            );
          } else {
            reject(
              new MediaError(MediaErrorCode.EncodeFailed, `ffmpeg failed: ${error.message}`, {
                cause: error,
              }),
            );
          }
        });
        cmd.on('end', () => {
          signal?.removeEventListener('abort', kill);
          resolve();
        });
        cmd.run();
      })
      .catch(reject);
  });
  return {
    feed: (chunks) => {
      for (const chunk of chunks) input.write(chunk);
      input.end();
    },
    finished,
    kill,
  };
}
