/**
 * The jobs the worker has taken that have not asked the model for frames yet, by their place in the
 * queue's fair order: a batch waits a moment for them, and never takes a job that comes after one.
 */
export class JobsOnTheirWay {
  private readonly orders = new Set<readonly number[]>();

  /** The queue orders of the jobs on their way. */
  get queueOrders(): Iterable<readonly number[]> {
    return this.orders;
  }

  /** A job was taken; the returned function says it reached the model (or ended). */
  enter(queueOrder: readonly number[]): () => void {
    const mine = [...queueOrder];
    this.orders.add(mine);
    return () => this.orders.delete(mine);
  }
}
