import { z } from 'zod';
import { MediaError, MediaErrorCode } from './media-error.ts';

/**
 * Decoded video frames as the model produces them: packed RGB24, row-major, top row first,
 * `width * height * 3` bytes per frame, all frames the same size.
 */
export interface FrameSequence {
  width: number;
  height: number;
  /** Frames per second; a fraction such as 23.976 is allowed. */
  fps: number;
  frames: Uint8Array[];
}

const frameSequenceSchema = z
  .object({
    width: z.number().int().positive().max(8192),
    height: z.number().int().positive().max(8192),
    fps: z.number().positive().max(240),
    frames: z.array(z.instanceof(Uint8Array)).min(1, 'a clip needs at least one frame'),
  })
  .superRefine((seq, ctx) => {
    const expected = seq.width * seq.height * 3;
    const bad = seq.frames.findIndex((frame) => frame.byteLength !== expected);
    if (bad !== -1) {
      ctx.addIssue({
        code: 'custom',
        path: ['frames', bad],
        message: `frame ${bad} has ${seq.frames[bad]?.byteLength} bytes; ${seq.width}x${seq.height} RGB24 needs ${expected}`,
      });
    }
  });

/** Checks a FrameSequence's shape and byte counts, throwing MediaError INVALID_FRAMES. */
export function assertFrameSequence(seq: FrameSequence): void {
  const result = frameSequenceSchema.safeParse(seq);
  if (!result.success) {
    throw new MediaError(MediaErrorCode.InvalidFrames, `invalid frames: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
}

/** Length of a sequence in milliseconds. */
export function sequenceDurationMs(seq: Pick<FrameSequence, 'fps' | 'frames'>): number {
  return (seq.frames.length / seq.fps) * 1000;
}
