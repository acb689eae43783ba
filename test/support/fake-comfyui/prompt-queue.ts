/** A queue item as ComfyUI keeps it: `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export type QueueItem = [
  number: number,
  promptId: string,
  prompt: Record<string, unknown>,
  extraData: Record<string, unknown>,
  outputs: string[],
];

/** A `/history` entry. */
export interface HistoryEntry {
  prompt: QueueItem;
  outputs: Record<string, Record<string, unknown>>;
  status: {
    status_str: 'success' | 'error';
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
  meta: Record<string, Record<string, unknown>>;
}

const before = (a: QueueItem, b: QueueItem) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/**
 * execution.py `PromptQueue`: a heap ordered by `(number, prompt_id)`, one running item, and the
 * history in the order prompts finished. `changed` is server.py's `queue_updated` (a `status` to all).
 */
export class PromptQueue {
  #pending: QueueItem[] = [];
  #running: QueueItem | undefined;
  #history = new Map<string, HistoryEntry>();
  #wake: (() => void) | undefined;

  constructor(private readonly changed: () => void) {}

  get running(): QueueItem | undefined {
    return this.#running;
  }

  /** `get_tasks_remaining`: waiting plus running. */
  get remaining(): number {
    return this.#pending.length + (this.#running ? 1 : 0);
  }

  put(item: QueueItem): void {
    this.#pending.push(item);
    this.#pending.sort(before);
    this.changed();
    this.#wake?.();
  }

  /** Waits for the next item and marks it running. */
  async take(signal: AbortSignal): Promise<QueueItem | undefined> {
    while (this.#pending.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.#wake = undefined;
    }
    if (signal.aborted) return undefined;
    const item = this.#pending.shift() as QueueItem;
    this.#running = item;
    this.changed();
    return item;
  }

  done(entry: Omit<HistoryEntry, 'prompt'>): void {
    const item = this.#running;
    if (!item) return;
    this.#running = undefined;
    this.#history.set(item[1], { prompt: item, ...entry });
    this.changed();
  }

  snapshot(): { queue_running: QueueItem[]; queue_pending: QueueItem[] } {
    return { queue_running: this.#running ? [this.#running] : [], queue_pending: [...this.#pending] };
  }

  wipe(): void {
    this.#pending = [];
    this.changed();
  }

  /** `delete_queue_item`: removes the first waiting item with that id; running ones stay. */
  delete(promptId: string): boolean {
    const index = this.#pending.findIndex((item) => item[1] === promptId);
    if (index < 0) return false;
    this.#pending.splice(index, 1);
    this.changed();
    return true;
  }

  /** `get_history`: one entry, or the last `maxItems` (from `offset`) in finishing order. */
  history(promptId?: string, maxItems?: number, offset = -1): Record<string, HistoryEntry> {
    if (promptId !== undefined) {
      const entry = this.#history.get(promptId);
      return entry ? { [promptId]: structuredClone(entry) } : {};
    }
    const entries = [...this.#history.entries()];
    const start = offset < 0 && maxItems !== undefined ? entries.length - maxItems : Math.max(offset, 0);
    const picked = entries.slice(Math.max(start, 0), maxItems === undefined ? undefined : start + maxItems);
    return Object.fromEntries(picked);
  }

  deleteHistory(promptId: string): void {
    this.#history.delete(promptId);
  }

  wipeHistory(): void {
    this.#history.clear();
  }

  /** A restart: nothing waiting, running or remembered. */
  forget(): void {
    this.#pending = [];
    this.#running = undefined;
    this.#history.clear();
  }
}
