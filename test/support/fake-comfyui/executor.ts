import { setTimeout as sleep } from 'node:timers/promises';
import type { Folders } from './files.ts';
import { executionOrder, type Graph, node, num, signatures } from './graph.ts';
import { currentInputs, type SavedVideo, type StartImage, saveVideo, startImage } from './node-work.ts';
import type { HistoryEntry, PromptQueue, QueueItem } from './prompt-queue.ts';
import { fakeTraceback } from './py-values.ts';
import type { Sockets } from './sockets.ts';

/** An exception the next run raises, at a KSampler step or as a node starts. */
export interface Fault {
  exceptionType: string;
  exceptionMessage: string;
  /** Node id or class_type that raises it (default: the KSampler). */
  node?: string;
  /** For a KSampler: the step that fails (default 1). */
  step?: number;
}

/** What one run did, for assertions. */
export interface RunRecord {
  promptId: string;
  clientId: string | null;
  outcome: 'success' | 'error' | 'interrupted';
  /** Nodes run in this prompt (cached ones excluded), in order. */
  executed: string[];
  cached: string[];
  startImage?: StartImage;
  video?: SavedVideo;
}

export interface ExecutorDeps {
  sockets: Sockets;
  folders: Folders;
  queue: PromptQueue;
  stepMs(): number;
  cache: boolean;
  preview(): Promise<Buffer> | undefined;
  takeFault(): Fault | undefined;
  onRun(record: RunRecord): void;
}

class Interrupted extends Error {}
class NodeFailure extends Error {
  constructor(readonly fault: Fault) {
    super(fault.exceptionMessage);
  }
}

/** execution.py PromptExecutor + main.py prompt_worker: one prompt at a time, with ComfyUI's messages. */
export class Executor {
  clientId: string | null = null;
  lastNodeId: string | null = null;
  #runningId: string | null = null;
  #interrupted = false;
  #cache = new Map<string, { ui?: SavedVideo['ui'] }>();
  #messages: [string, Record<string, unknown>][] = [];

  constructor(private readonly deps: ExecutorDeps) {}

  /** `nodes.interrupt_processing()`: only a running prompt notices (the flag resets as one starts). */
  interrupt(promptId?: string): void {
    if (this.#runningId !== null && (promptId === undefined || promptId === this.#runningId)) {
      this.#interrupted = true;
    }
  }

  /** A restart: the output cache is gone. */
  forget(): void {
    this.#cache.clear();
    this.clientId = null;
    this.lastNodeId = null;
    this.#runningId = null;
  }

  async loop(signal: AbortSignal): Promise<void> {
    for (;;) {
      const item = await this.deps.queue.take(signal);
      if (!item || signal.aborted) return;
      try {
        await this.#run(item, signal);
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      }
    }
  }

  async #run(item: QueueItem, signal: AbortSignal): Promise<void> {
    const [, promptId, graph, extra, outputs] = item;
    this.#interrupted = false;
    this.#runningId = promptId;
    this.clientId = typeof extra.client_id === 'string' ? extra.client_id : null;
    this.#messages = [];
    if (!this.deps.cache) this.#cache.clear();
    this.#add('execution_start', { prompt_id: promptId }, false);
    const image = startImage(graph, this.deps.folders);
    const signs = signatures(graph, (id) => (id === image?.node ? `${image.file}` : ''));
    const current = new Set(signs.values());
    for (const key of this.#cache.keys()) if (!current.has(key)) this.#cache.delete(key);
    const cached = Object.keys(graph).filter((id) => this.#cache.has(signs.get(id) ?? ''));
    this.#add('execution_cached', { nodes: cached, prompt_id: promptId }, false);
    const record: RunRecord = { promptId, clientId: this.clientId, outcome: 'success', executed: [], cached };
    if (image) record.startImage = image;
    const progress = new Map<string, { value: number; max: number; state: string }>();
    const fault = this.deps.takeFault();
    let failure: { id: string; err: unknown } | undefined;
    for (const id of executionOrder(graph, outputs)) {
      const key = signs.get(id) ?? '';
      const hit = this.#cache.get(key);
      if (hit) {
        if (hit.ui)
          this.#toClient('executed', { node: id, display_node: id, output: hit.ui, prompt_id: promptId });
        this.#progressState(promptId, progress, id, { value: 1, max: 1, state: 'finished' });
        continue;
      }
      this.#progressState(promptId, progress, id, { value: 0, max: 1, state: 'running' });
      this.lastNodeId = id;
      this.#toClient('executing', { node: id, display_node: id, prompt_id: promptId });
      try {
        const ui = await this.#work(graph, id, promptId, progress, fault, signal, record);
        this.#cache.set(key, ui ? { ui } : {});
        if (ui) this.#toClient('executed', { node: id, display_node: id, output: ui, prompt_id: promptId });
        this.#progressState(promptId, progress, id, { value: 1, max: 1, state: 'finished' });
        record.executed.push(id);
      } catch (err) {
        if (signal.aborted) throw err;
        failure = { id, err };
        break;
      }
    }
    if (failure) this.#reportFailure(graph, promptId, failure.id, failure.err, record, cached);
    else this.#add('execution_success', { prompt_id: promptId }, false);
    this.deps.queue.done(this.#historyResult(graph, signs, record.outcome === 'success'));
    this.lastNodeId = null;
    this.#runningId = null;
    if (this.clientId !== null)
      this.deps.sockets.send('executing', { node: null, prompt_id: promptId }, this.clientId);
    this.deps.onRun(record);
  }

  async #work(
    graph: Graph,
    id: string,
    promptId: string,
    progress: Map<string, { value: number; max: number; state: string }>,
    fault: Fault | undefined,
    signal: AbortSignal,
    record: RunRecord,
  ): Promise<SavedVideo['ui'] | undefined> {
    // nodes.before_node_execution(): an interrupt is noticed as the next node starts.
    if (this.#interrupted) throw new Interrupted();
    const classType = node(graph, id)?.class_type;
    const target = fault?.node ?? 'KSampler';
    const failsHere = fault !== undefined && (target === id || target === classType);
    if (classType === 'KSampler') {
      const steps = num(graph, id, 'steps', 20);
      for (let step = 1; step <= steps; step++) {
        await sleep(this.deps.stepMs(), undefined, { signal });
        if (failsHere && step === (fault.step ?? 1)) throw new NodeFailure(fault);
        // main.py's progress hook checks for an interrupt before it reports the step.
        if (this.#interrupted) throw new Interrupted();
        this.#toClient('progress', { value: step, max: steps, prompt_id: promptId, node: id });
        this.#progressState(promptId, progress, id, { value: step, max: steps, state: 'running' });
        const preview = this.deps.preview();
        if (preview && this.clientId !== null) {
          // server.py BinaryEventTypes.PREVIEW_IMAGE, then image type 1 (JPEG), then the bytes.
          const header = Buffer.alloc(8);
          header.writeUInt32BE(1, 0);
          header.writeUInt32BE(1, 4);
          this.deps.sockets.sendBinary(Buffer.concat([header, await preview]), this.clientId);
        }
      }
      return undefined;
    }
    if (failsHere) throw new NodeFailure(fault);
    if (classType === 'SaveVideo') {
      const video = await saveVideo(graph, id, this.deps.folders, signal);
      record.video = video;
      return video.ui;
    }
    return undefined;
  }

  #reportFailure(
    graph: Graph,
    promptId: string,
    id: string,
    err: unknown,
    record: RunRecord,
    cached: string[],
  ): void {
    const base = {
      prompt_id: promptId,
      node_id: id,
      node_type: node(graph, id)?.class_type ?? '',
      executed: [...record.executed],
    };
    if (err instanceof Interrupted) {
      record.outcome = 'interrupted';
      this.#add('execution_interrupted', base, true);
      return;
    }
    record.outcome = 'error';
    const fault: Fault =
      err instanceof NodeFailure
        ? err.fault
        : { exceptionType: 'Exception', exceptionMessage: err instanceof Error ? err.message : String(err) };
    const oom = fault.exceptionType === 'torch.OutOfMemoryError';
    const tips = oom
      ? 'This error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you might have accidentally set the batch_size to a large number.'
      : '';
    this.#add(
      'execution_error',
      {
        ...base,
        exception_message: `${fault.exceptionMessage}\n${tips}`,
        exception_type: fault.exceptionType,
        traceback: fakeTraceback('execute'),
        current_inputs: currentInputs(graph, id),
        current_outputs: cached,
      },
      false,
    );
  }

  #historyResult(graph: Graph, signs: Map<string, string>, success: boolean) {
    const outputs: HistoryEntry['outputs'] = {};
    const meta: HistoryEntry['meta'] = {};
    for (const id of Object.keys(graph)) {
      const ui = this.#cache.get(signs.get(id) ?? '')?.ui;
      if (!ui) continue;
      outputs[id] = ui;
      meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
    }
    const status: HistoryEntry['status'] = {
      status_str: success ? 'success' : 'error',
      completed: success,
      messages: this.#messages,
    };
    return { outputs, status, meta };
  }

  /** PromptExecutor.add_message: kept for the history; sent when there is a client (or to all). */
  #add(event: string, data: Record<string, unknown>, broadcast: boolean): void {
    const stamped = { ...data, timestamp: Date.now() };
    this.#messages.push([event, stamped]);
    if (this.clientId !== null || broadcast) this.deps.sockets.send(event, stamped, this.clientId);
  }

  #toClient(event: string, data: Record<string, unknown>): void {
    if (this.clientId !== null) this.deps.sockets.send(event, data, this.clientId);
  }

  /** comfy_execution/progress.py WebUIProgressHandler: every started node's state, to every client. */
  #progressState(
    promptId: string,
    progress: Map<string, { value: number; max: number; state: string }>,
    id: string,
    state: { value: number; max: number; state: string },
  ): void {
    progress.set(id, state);
    const nodes = Object.fromEntries(
      [...progress].map(([nodeId, s]) => [
        nodeId,
        {
          ...s,
          node_id: nodeId,
          prompt_id: promptId,
          display_node_id: nodeId,
          parent_node_id: null,
          real_node_id: nodeId,
        },
      ]),
    );
    this.deps.sockets.send('progress_state', { prompt_id: promptId, nodes }, null);
  }
}
