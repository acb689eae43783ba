import { PipelineError, PipelineErrorCode } from '../model/index.ts';

/** Why a job ended without a clip: a stable code for logs and metrics, and text for the user. */
export interface FailureReply {
  code: string;
  message: string;
}

/** BullMQ's message for a job whose worker kept dying (kill -9, out of memory killer). */
const STALLED = /stalled more than allowable limit/i;

const TRY_AGAIN = 'Please try again in a minute.';

/** Maps a final job error to what the user reads; the logged reason stays with the error. */
export function failureReply(error: Error): FailureReply {
  if (STALLED.test(error.message)) {
    return {
      code: 'STALLED',
      message: `The worker making your video stopped unexpectedly, more than once, so I gave up on it. ${TRY_AGAIN} A lower quality (\`--quality low\`) needs less memory.`,
    };
  }
  const code = codeOf(error);
  switch (code) {
    case PipelineErrorCode.InvalidOptions:
    case PipelineErrorCode.TierUnknown:
      return { code, message: `I can't make that video: ${error.message}` };
    case PipelineErrorCode.OutOfMemory:
      return {
        code,
        message: `The GPU ran out of memory even at the lowest quality, because it is busy. ${TRY_AGAIN}`,
      };
    case PipelineErrorCode.ModelRestarted:
      return {
        code,
        message: `The model stopped unexpectedly while making your video, twice, so I gave up on it. ${TRY_AGAIN} A lower quality (\`--quality low\`) needs less memory.`,
      };
    case PipelineErrorCode.DeadlineExceeded:
      return { code, message: `Your video took too long to make, so I stopped it. ${TRY_AGAIN}` };
    case PipelineErrorCode.ServerUnavailable:
      return {
        code,
        message: `The video server is not answering (it may be restarting), so I could not make your video. Please try again in a few minutes.`,
      };
    case PipelineErrorCode.ServerRefused:
      return {
        code,
        message: `The video server could not run the model (the operator has been told in the logs). ${TRY_AGAIN}`,
      };
    default:
      return {
        code: code ?? error.name,
        message: `Something went wrong while making your video. ${TRY_AGAIN}`,
      };
  }
}

function codeOf(error: Error): string | undefined {
  if (error instanceof PipelineError) return error.code;
  const cause = error.cause;
  if (cause instanceof PipelineError) return cause.code;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
