import { CodedError } from '../core/index.ts';

/** Why a media operation failed; stable strings that callers and logs can match on. */
export enum MediaErrorCode {
  FfmpegNotFound = 'FFMPEG_NOT_FOUND',
  FfprobeNotFound = 'FFPROBE_NOT_FOUND',
  InvalidFrames = 'INVALID_FRAMES',
  InvalidOptions = 'INVALID_OPTIONS',
  EncodeFailed = 'ENCODE_FAILED',
  ProbeFailed = 'PROBE_FAILED',
  Aborted = 'ABORTED',
}

/** An error from src/media, carrying a {@link MediaErrorCode}. */
export class MediaError extends CodedError<MediaErrorCode> {
  override readonly name = 'MediaError';
}

/** Wraps anything thrown by a media step in a MediaError, keeping MediaErrors as they are. */
export function toMediaError(error: unknown, code: MediaErrorCode, context: string): MediaError {
  if (error instanceof MediaError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new MediaError(code, `${context}: ${detail}`, { cause: error });
}

/** The error an aborted encode or probe rejects with. */
export function abortedError(signal: AbortSignal, what: string): MediaError {
  return new MediaError(MediaErrorCode.Aborted, `${what} was aborted`, { cause: signal.reason });
}
