import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { AttemptPlan } from './budget-ladder.ts';
import type { FrameSequence } from './frame-sequence.ts';
import { abortedError, MediaError, MediaErrorCode } from './media-error.ts';
import { videoFilter } from './output-size.ts';

/** Everything one ffmpeg run needs. */
export interface EncodeRun {
  ffmpegPath: string;
  frames: FrameSequence;
  plan: AttemptPlan;
  preset: string;
  outputPath: string;
  signal?: AbortSignal;
}

function outputOptions(run: EncodeRun): string[] {
  const { plan } = run;
  const filter = videoFilter(run.frames, plan);
  const rate = plan.maxrateKbps;
  return [
    ...(filter === undefined ? [] : ['-vf', filter]),
    ...['-c:v', 'libx264', '-preset', run.preset, '-crf', String(plan.crf), '-pix_fmt', 'yuv420p'],
    ...(rate === undefined ? [] : ['-maxrate', `${rate}k`, '-bufsize', `${rate}k`]),
    ...['-movflags', '+faststart', '-an', '-f', 'mp4'],
  ];
}

/**
 * Encodes the frames once with the plan's settings into `outputPath`, piping raw RGB24 on stdin.
 * Kills ffmpeg (SIGKILL) when the signal aborts.
 */
export function runEncode(run: EncodeRun): Promise<void> {
  const { signal, frames } = run;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal, 'encoding'));
      return;
    }
    // fluent-ffmpeg keeps the binary path in a module-wide cache, not per command: set it per run.
    ffmpeg.setFfmpegPath(run.ffmpegPath);
    const command = ffmpeg()
      .input(Readable.from(frames.frames, { objectMode: false }))
      .inputFormat('rawvideo')
      .inputOptions(['-pix_fmt', 'rgb24', '-s', `${frames.width}x${frames.height}`, '-r', String(frames.fps)])
      .output(run.outputPath)
      .outputOptions(outputOptions(run));

    // kill() before the process exists is a no-op, so 'start' checks the signal again.
    const kill = (): void => {
      command.kill('SIGKILL');
    };
    signal?.addEventListener('abort', kill, { once: true });
    command.on('start', () => {
      if (signal?.aborted) kill();
    });
    command.on('error', (error: Error & { code?: string }) => {
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
          new MediaError(MediaErrorCode.EncodeFailed, `ffmpeg failed: ${error.message}`, { cause: error }),
        );
      }
    });
    command.on('end', () => {
      signal?.removeEventListener('abort', kill);
      resolve();
    });
    command.run();
  });
}
