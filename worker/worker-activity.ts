/**
 * The jobs this worker holds, so that work of its own (rendering warm clips) runs only while it holds
 * none and gives way the moment a job arrives.
 */
export class WorkerActivity {
  private inHand = 0;
  private readonly busyListeners = new Set<() => void>();

  /** True while the worker holds no job. */
  get idle(): boolean {
    return this.inHand === 0;
  }

  /** Runs one job's processing; listeners hear that the worker is busy before it starts. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.inHand++;
    for (const listener of this.busyListeners) listener();
    try {
      return await work();
    } finally {
      this.inHand--;
    }
  }

  /** Calls `listener` whenever a job arrives; returns the unsubscribe. */
  onBusy(listener: () => void): () => void {
    this.busyListeners.add(listener);
    return () => this.busyListeners.delete(listener);
  }
}
