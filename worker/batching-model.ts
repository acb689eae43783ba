import type {
  BatchItem,
  GeneratedVideo,
  GenerateOptions,
  GenerateRequest,
  VideoModel,
} from '../src/model/index.ts';
import { canBatch, ModelWrapper, PipelineError, PipelineErrorCode } from '../src/model/index.ts';

export interface BatchingOptions {
  /** The most jobs in one model call (CLIPBOT_BATCH_MAX); 1: one job at a time. */
  maxBatch: number;
  /**
   * How long the first job in line may wait for jobs on their way to join its batch
   * (CLIPBOT_BATCH_WAIT_MS), counted from its arrival.
   */
  gatherMs: number;
  /** The queue orders of jobs the worker has taken that have not reached the model yet. */
  arriving?: () => Iterable<readonly number[]>;
}

/** A generation waiting for its turn on the model. */
interface Waiting extends BatchItem {
  arrival: number;
  arrivedAt: number;
  key: string | undefined;
  resolve(video: GeneratedVideo): void;
  reject(error: unknown): void;
}

/**
 * The worker's one door to the model: one model call at a time, and with `maxBatch` above 1 several
 * compatible jobs in one call. Jobs are taken in the queue's fair order (`queueOrder`, then arrival)
 * and a batch is the longest run of compatible jobs at the front of that order, so batching never
 * moves a job ahead of an earlier one of another tenant. A job cancelled while it waits leaves the
 * line at once; an out-of-memory error in a batch splits it in halves before the job's own fallback
 * drops a tier.
 */
export class BatchingModel extends ModelWrapper {
  private readonly line: Waiting[] = [];
  private arrivals = 0;
  private busy = false;
  private wake: (() => void) | undefined;

  constructor(
    inner: VideoModel,
    private readonly options: BatchingOptions,
  ) {
    super(inner);
  }

  override generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    return new Promise<GeneratedVideo>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(waitedOut());
      const key =
        this.options.maxBatch > 1 && canBatch(this.inner) ? this.inner.batchKey(request) : undefined;
      const entry: Waiting = {
        request,
        options,
        arrival: this.arrivals++,
        arrivedAt: Date.now(),
        key,
        resolve,
        reject,
      };
      const onAbort = () => {
        const at = this.line.indexOf(entry);
        if (at < 0) return; // already running: the model hears the signal itself
        this.line.splice(at, 1);
        reject(waitedOut());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      entry.resolve = (video) => {
        done();
        resolve(video);
      };
      entry.reject = (error) => {
        done();
        reject(error);
      };
      this.line.push(entry);
      this.wake?.();
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.line.length === 0) return;
    this.busy = true;
    this.runNext()
      .catch(() => undefined) // every entry settles inside runNext
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private async runNext(): Promise<void> {
    await this.gather();
    const batch = this.takeBatch();
    if (batch.length > 0) await this.runBatch(batch);
  }

  /** Waits, within the first job's gathering time, while jobs on their way could join its batch. */
  private async gather(): Promise<void> {
    for (;;) {
      const { batch, stop } = this.nextBatch();
      const head = batch[0];
      if (!head || stop !== 'arriving') return;
      const left = head.arrivedAt + this.options.gatherMs - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * The first job in fair order and the compatible jobs right behind it, up to `maxBatch`; `stop` says
   * what ended the run. A job still on its way ends it too: nothing behind that job may go before it.
   */
  private nextBatch(): { batch: Waiting[]; stop: 'full' | 'incompatible' | 'arriving' | 'end' } {
    const line = [...this.line].sort(compareOrder);
    const head = line[0];
    if (!head) return { batch: [], stop: 'end' };
    if (head.key === undefined || this.options.maxBatch <= 1) return { batch: [head], stop: 'full' };
    const arriving = [...(this.options.arriving?.() ?? [])];
    const batch = [head];
    for (const next of [...line.slice(1), undefined]) {
      if (batch.length >= this.options.maxBatch) return { batch, stop: 'full' };
      if (arriving.some((order) => !next || compareQueueOrder(order, next.options.queueOrder) < 0))
        return { batch, stop: 'arriving' };
      if (!next) return { batch, stop: 'end' };
      if (next.key !== head.key) return { batch, stop: 'incompatible' };
      batch.push(next);
    }
    return { batch, stop: 'end' };
  }

  private takeBatch(): Waiting[] {
    const { batch } = this.nextBatch();
    for (const entry of batch) this.line.splice(this.line.indexOf(entry), 1);
    return batch;
  }

  /** Runs a batch; out of memory with more than one job splits it and runs the halves in turn. */
  private async runBatch(batch: Waiting[]): Promise<void> {
    const first = batch[0] as Waiting;
    if (batch.length === 1 || !canBatch(this.inner)) {
      await this.inner.generate(first.request, first.options).then(first.resolve, first.reject);
      return;
    }
    const retry: Waiting[] = [];
    // Each job settles as soon as its frames are ready, so its encoding starts while the others decode.
    await Promise.all(
      this.inner.generateBatch(batch).map((generation, i) => {
        const entry = batch[i] as Waiting;
        return generation.then(entry.resolve, (error: unknown) => {
          if (isOutOfMemory(error)) retry.push(entry);
          else entry.reject(error);
        });
      }),
    );
    if (retry.length === 0) return;
    const half = Math.ceil(retry.length / 2);
    await this.runBatch(retry.slice(0, half));
    await this.runBatch(retry.slice(half));
  }
}

/** Fair order, then arrival. */
function compareOrder(a: Waiting, b: Waiting): number {
  return compareQueueOrder(a.options.queueOrder, b.options.queueOrder) || a.arrival - b.arrival;
}

/** Element by element; work without a place in the queue (a warm render) comes after every job. */
function compareQueueOrder(x: readonly number[] | undefined, y: readonly number[] | undefined): number {
  if (!x || !y) return x === y ? 0 : x ? -1 : 1;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function isOutOfMemory(error: unknown): boolean {
  return error instanceof PipelineError && error.code === PipelineErrorCode.OutOfMemory;
}

function waitedOut(): PipelineError {
  return new PipelineError(PipelineErrorCode.Aborted, 'cancelled while waiting for the GPU');
}
