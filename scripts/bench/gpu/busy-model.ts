import {
  type BatchItem,
  type BatchingVideoModel,
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  ModelWrapper,
} from '../../../src/model/index.ts';

/**
 * The worker's model with the time it spends generating counted: each call (a batch or one job) from
 * its start until its last clip is ready. The worker runs one call at a time, so the calls' summed time
 * over the run's time is how busy the model was; what is left, the model waited for the worker.
 */
export class BusyModel extends ModelWrapper implements BatchingVideoModel {
  private busyMs = 0;
  private calls = 0;
  private jobs = 0;

  constructor(protected override readonly inner: BatchingVideoModel) {
    super(inner);
  }

  override generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> {
    return this.timed(1, () => [this.inner.generate(request, options)])[0] as Promise<GeneratedVideo>;
  }

  batchKey(request: GenerateRequest): string | undefined {
    return this.inner.batchKey(request);
  }

  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    return this.timed(items.length, () => this.inner.generateBatch(items));
  }

  /** Milliseconds spent in calls and jobs a call since the last read; then starts counting again. */
  take(): { busyMs: number; jobsPerCall: number } {
    const taken = { busyMs: this.busyMs, jobsPerCall: this.calls > 0 ? this.jobs / this.calls : 0 };
    this.busyMs = 0;
    this.calls = 0;
    this.jobs = 0;
    return taken;
  }

  /** Not this wrapper's to dispose of: the bench disposes of the model once, after the runs. */
  override async dispose(): Promise<void> {}

  private timed(jobs: number, call: () => Promise<GeneratedVideo>[]): Promise<GeneratedVideo>[] {
    this.calls++;
    this.jobs += jobs;
    const start = performance.now();
    const generations = call();
    void Promise.allSettled(generations).then(() => {
      this.busyMs += performance.now() - start;
    });
    return generations;
  }
}
