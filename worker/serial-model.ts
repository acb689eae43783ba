import type { GeneratedVideo, GenerateOptions, GenerateRequest } from '../src/model/index.ts';
import { ModelWrapper, PipelineError, PipelineErrorCode } from '../src/model/index.ts';

/**
 * A model that runs one generation at a time, in arrival order. The worker takes two jobs at once so
 * that one job's encoding and upload overlap the next one's inference, while the GPU (and its memory)
 * still serves a single job. A job cancelled while it waits leaves the line at once.
 */
export class SerialModel extends ModelWrapper {
  private tail: Promise<void> = Promise.resolve();

  override async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    const previous = this.tail;
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next caller waits for this one and for everyone before it, even if this one gives up early.
    this.tail = previous.then(() => mine);
    try {
      await untilAborted(previous, options.signal);
      return await this.inner.generate(request, options);
    } finally {
      release();
    }
  }
}

function untilAborted(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  const aborted = () => new PipelineError(PipelineErrorCode.Aborted, 'cancelled while waiting for the GPU');
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}
