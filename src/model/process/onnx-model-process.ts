import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { stopError } from '../check-stop.ts';
import type { ExecutionProviderName } from '../execution-providers.ts';
import { loadOnnxManifest, type OnnxManifest } from '../manifest.ts';
import { ManifestModel } from '../manifest-model.ts';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';
import { requestBatchKey } from '../resolve-request.ts';
import type {
  BatchItem,
  BatchingVideoModel,
  GeneratedVideo,
  GenerateOptions,
  GenerateRequest,
} from '../video-model.ts';
import type { FromModelProcess, ToModelProcess } from './messages.ts';
import {
  exitReason,
  fromProcessError,
  type ModelProcessStart,
  startModelProcess,
  stopModelProcess,
} from './start-model-process.ts';

export interface ModelProcessOptions extends Omit<ModelProcessStart, 'manifestPath'> {
  /** Waits before each restart of a process that died unasked; the last repeats (default 1 s, 5 s, 30 s). */
  restartDelaysMs?: readonly number[];
}

interface Pending {
  options: GenerateOptions;
  /** Whether its batch has gone to the process (before that, a cancel is answered here). */
  sent: boolean;
  resolve(video: GeneratedVideo): void;
  reject(error: unknown): void;
  stopListening(): void;
}

const RESTART_DELAYS_MS = [1_000, 5_000, 30_000];
/** How long dispose() waits for the process to exit once told to, before it kills it. */
const EXIT_GRACE_MS = 5_000;

/**
 * The ONNX pipeline in a child process of its own (model-process.ts says why not a thread), behind the
 * same interface: the worker keeps encoding, storing and replying while a step runs. Tiers, batch keys
 * and the manifest are read here; frames come back over the IPC channel (a copy: 0.1 MB a clip at the
 * low tier, 1.8 MB at the high). A process that dies unasked (a crash in a native provider, the OOM
 * killer) fails the generations it held with a clear error and is started again; generations asked
 * for meanwhile wait for it (or for their own cancel).
 */
export class OnnxModelProcess extends ManifestModel<OnnxManifest> implements BatchingVideoModel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set while a new process is being started; batches wait for it. */
  private restarting: Promise<void> | undefined;
  private disposing = false;
  private deaths = 0;
  /** Fired by dispose(): ends a restart's wait. */
  private readonly disposed = new AbortController();
  private onDisposed: (() => void) | undefined;

  private constructor(
    manifest: OnnxManifest,
    private readonly start: ModelProcessStart & Pick<ModelProcessOptions, 'restartDelaysMs'>,
    private child: ChildProcess,
    private currentProvider: ExecutionProviderName,
  ) {
    super(manifest);
    this.watch(child);
  }

  /** Reads the manifest here, then loads the model in a new process (cuda → webgpu → cpu, as asked). */
  static async load(manifestPath: string, options: ModelProcessOptions = {}): Promise<OnnxModelProcess> {
    const { manifest } = await loadOnnxManifest(manifestPath);
    const start = { ...options, manifestPath };
    const { child, provider } = await startModelProcess(start);
    return new OnnxModelProcess(manifest, start, child, provider);
  }

  /** Where the model runs: the provider its process loaded it under. */
  get provider(): ExecutionProviderName {
    return this.currentProvider;
  }

  /** The model process's pid while one runs (for logs and an operator's ps). */
  get pid(): number | undefined {
    return this.restarting || this.disposing ? undefined : this.child.pid;
  }

  /** Times the process died unasked (each time it was started again). */
  get restarts(): number {
    return this.deaths;
  }

  generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    return this.generateBatch([{ request, options }])[0] as Promise<GeneratedVideo>;
  }

  batchKey(request: GenerateRequest): string | undefined {
    return requestBatchKey(this.manifest, request);
  }

  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    const batch: Extract<ToModelProcess, { type: 'batch' }>['items'] = [];
    const promises = items.map(
      ({ request, options }) =>
        new Promise<GeneratedVideo>((resolve, reject) => {
          if (this.disposing)
            return reject(new PipelineError(PipelineErrorCode.InferenceFailed, 'the model was disposed of'));
          const id = this.nextId++;
          const { signal } = options;
          const onAbort = () => this.abort(id, String(signal?.reason ?? 'aborted'));
          signal?.addEventListener('abort', onAbort, { once: true });
          // The process keeps a sent job's deadline; one that waits for a restart is kept here.
          const deadline =
            options.deadline === undefined
              ? undefined
              : setTimeout(() => this.expire(id), Math.max(0, options.deadline - Date.now()));
          deadline?.unref();
          this.pending.set(id, {
            options,
            sent: false,
            resolve,
            reject,
            stopListening: () => {
              signal?.removeEventListener('abort', onAbort);
              clearTimeout(deadline);
            },
          });
          batch.push({
            id,
            request,
            ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
            ...(options.queueOrder ? { queueOrder: options.queueOrder } : {}),
          });
        }),
    );
    if (batch.length > 0) {
      if (this.restarting) void this.restarting.then(() => this.sendBatch(batch));
      else this.sendBatch(batch);
    }
    return promises;
  }

  async dispose(): Promise<void> {
    if (this.disposing) return;
    this.disposing = true;
    this.disposed.abort();
    if (!this.restarting && this.child.connected) {
      const released = new Promise<void>((resolve) => {
        this.onDisposed = resolve;
        this.send({ type: 'dispose' });
      });
      await Promise.race([released, delay(EXIT_GRACE_MS, undefined, { ref: false })]);
    }
    await this.restarting;
    this.failAll(new PipelineError(PipelineErrorCode.InferenceFailed, 'the model was disposed of'));
    await stopModelProcess(this.child, EXIT_GRACE_MS);
  }

  /** Sends the batch's jobs that are still wanted; one cancelled or past its deadline meanwhile ends here. */
  private sendBatch(batch: Extract<ToModelProcess, { type: 'batch' }>['items']): void {
    const live = batch.filter((item) => {
      const pending = this.pending.get(item.id);
      if (!pending) return false;
      const stopped = stopError(pending.options);
      if (stopped) this.settle(item.id, (p) => p.reject(stopped));
      else pending.sent = true;
      return !stopped;
    });
    if (live.length > 0) this.send({ type: 'batch', items: live });
  }

  private abort(id: number, reason: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    // The process checks its own signal between steps; a job not sent yet stops here.
    if (pending.sent) this.send({ type: 'abort', id, reason });
    else this.settle(id, (p) => p.reject(stopError(p.options)));
  }

  private expire(id: number): void {
    if (this.pending.get(id)?.sent !== false) return;
    this.settle(id, (p) =>
      p.reject(
        new PipelineError(
          PipelineErrorCode.DeadlineExceeded,
          'generation passed its deadline while the model process was starting again',
        ),
      ),
    );
  }

  /** Sends when the channel is open; a process that has gone is reported by 'exit', not by a throw here. */
  private send(message: ToModelProcess): void {
    if (this.child.connected) this.child.send(message);
  }

  private watch(child: ChildProcess): void {
    child.on('message', (message: FromModelProcess) => this.onMessage(message));
    child.on('error', (error) => this.onGone(child, error));
    child.on('exit', (code, signal) =>
      this.onGone(child, new Error(`the model process exited (${exitReason(code, signal)})`)),
    );
  }

  private onMessage(message: FromModelProcess): void {
    if (message.type === 'disposed') {
      this.onDisposed?.();
      return;
    }
    if (message.type === 'progress') {
      this.pending.get(message.id)?.options.onProgress?.(message.progress);
      return;
    }
    if (message.type === 'done') this.settle(message.id, (p) => p.resolve(message.video));
    else if (message.type === 'failed')
      this.settle(message.id, (p) => p.reject(fromProcessError(message.error)));
  }

  private settle(id: number, end: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.stopListening();
    end(pending);
  }

  /** The jobs the process held fail; unless disposed of, a new process starts after a wait. */
  private onGone(child: ChildProcess, error: Error): void {
    if (child !== this.child || this.restarting) return;
    const gone = new PipelineError(
      PipelineErrorCode.ModelRestarted,
      `the model's process stopped: ${error.message}`,
      { cause: error },
    );
    for (const [id, pending] of this.pending) if (pending.sent) this.settle(id, (p) => p.reject(gone));
    if (this.disposing) {
      this.onDisposed?.();
      return;
    }
    this.deaths++;
    this.start.logger?.error({ err: error.message }, 'the model process stopped; starting it again');
    this.restarting = this.restart().finally(() => {
      this.restarting = undefined;
    });
  }

  /** Starts a new process, waiting before each try; gives up only when disposed of (dispose fails what waits). */
  private async restart(): Promise<void> {
    const delays = this.start.restartDelaysMs ?? RESTART_DELAYS_MS;
    const { signal } = this.disposed;
    for (let attempt = 0; !this.disposing; attempt++) {
      await delay(delays[Math.min(attempt, delays.length - 1)] ?? 0, undefined, { signal }).catch(() => {});
      if (this.disposing) break;
      try {
        const { child, provider } = await startModelProcess(this.start);
        if (this.disposing) {
          await stopModelProcess(child, 0);
          break;
        }
        this.child = child;
        this.currentProvider = provider;
        this.watch(child);
        this.start.logger?.info({ provider, pid: child.pid }, 'the model process is back');
        return;
      } catch (error) {
        this.start.logger?.error(
          { err: error instanceof Error ? error.message : String(error), attempt: attempt + 1 },
          'the model process did not start again; trying later',
        );
      }
    }
  }

  private failAll(error: PipelineError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(error));
  }
}
