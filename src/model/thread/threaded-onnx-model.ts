import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
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
import type { FromModelThread, ThreadError, ToModelThread } from './messages.ts';

export interface ThreadedLoadOptions {
  providers?: readonly ExecutionProviderName[];
  threads?: number;
  logger?: Logger;
  /** The thread's entry module; default model-thread-entry.mjs (a bundle brings its own). */
  entry?: URL;
}

interface Pending {
  options: GenerateOptions;
  resolve(video: GeneratedVideo): void;
  reject(error: unknown): void;
  stopListening(): void;
}

const ENTRY = new URL('./model-thread-entry.mjs', import.meta.url);

/**
 * The ONNX pipeline in a worker thread of its own (model-thread.ts), behind the same interface: the
 * worker's main thread keeps encoding, storing and replying while a step runs, where onnxruntime-node
 * would otherwise hold it for the whole call. Tiers, batch keys and the manifest are read here; frames
 * come back moved, not copied. A thread that dies fails every generation in flight with a clear error.
 */
export class ThreadedOnnxModel extends ManifestModel<OnnxManifest> implements BatchingVideoModel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private ended: Error | undefined;
  private onDisposed: (() => void) | undefined;

  private constructor(
    manifest: OnnxManifest,
    private readonly thread: Worker,
    readonly provider: ExecutionProviderName,
  ) {
    super(manifest);
    thread.on('message', (message: FromModelThread) => this.onMessage(message));
    thread.on('error', (error) => this.end(error));
    thread.on('exit', (code) => this.end(new Error(`the model thread exited (code ${code})`)));
  }

  /** Reads the manifest here, then loads the model in a new thread (cuda → webgpu → cpu, as asked). */
  static async load(manifestPath: string, options: ThreadedLoadOptions = {}): Promise<ThreadedOnnxModel> {
    const { manifest } = await loadOnnxManifest(manifestPath);
    const thread = new Worker(options.entry ?? ENTRY);
    const load: ToModelThread = {
      type: 'load',
      manifestPath,
      ...(options.providers ? { providers: [...options.providers] } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.logger ? { logLevel: options.logger.level } : {}),
    };
    let stopWaiting = () => {};
    const provider = await new Promise<ExecutionProviderName>((resolve, reject) => {
      const onMessage = (message: FromModelThread) => {
        if (message.type === 'loaded') resolve(message.provider as ExecutionProviderName);
        else if (message.type === 'load-failed') reject(fromThreadError(message.error));
      };
      const onExit = (code: number) =>
        reject(new Error(`the model thread exited (code ${code}) while loading`));
      thread.on('message', onMessage).on('error', reject).on('exit', onExit);
      // Only these: a Worker's own listeners (removeAllListeners would take them) keep its port flowing.
      stopWaiting = () => thread.off('message', onMessage).off('error', reject).off('exit', onExit);
      thread.postMessage(load);
    })
      .catch(async (error: unknown) => {
        await thread.terminate();
        throw error;
      })
      .finally(() => stopWaiting());
    return new ThreadedOnnxModel(manifest, thread, provider);
  }

  generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    return this.generateBatch([{ request, options }])[0] as Promise<GeneratedVideo>;
  }

  batchKey(request: GenerateRequest): string | undefined {
    return requestBatchKey(this.manifest, request);
  }

  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    const sent: Extract<ToModelThread, { type: 'batch' }>['items'] = [];
    const abortedAlready: (() => void)[] = [];
    const promises = items.map(
      ({ request, options }) =>
        new Promise<GeneratedVideo>((resolve, reject) => {
          if (this.ended) return reject(threadGone(this.ended));
          const id = this.nextId++;
          const { signal } = options;
          // The thread checks its own signal between steps; this one only forwards the abort.
          const onAbort = () =>
            this.thread.postMessage({ type: 'abort', id, reason: String(signal?.reason ?? 'aborted') });
          signal?.addEventListener('abort', onAbort, { once: true });
          this.pending.set(id, {
            options,
            resolve,
            reject,
            stopListening: () => signal?.removeEventListener('abort', onAbort),
          });
          sent.push({
            id,
            request,
            ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
            ...(options.queueOrder ? { queueOrder: options.queueOrder } : {}),
          });
          if (signal?.aborted) abortedAlready.push(onAbort);
        }),
    );
    if (sent.length > 0) this.thread.postMessage({ type: 'batch', items: sent } satisfies ToModelThread);
    // After the batch, so that the thread knows the ids it is told to stop.
    for (const abort of abortedAlready) abort();
    return promises;
  }

  async dispose(): Promise<void> {
    if (!this.ended) {
      await new Promise<void>((resolve) => {
        this.onDisposed = resolve;
        this.thread.postMessage({ type: 'dispose' } satisfies ToModelThread);
      });
    }
    await this.thread.terminate();
  }

  private onMessage(message: FromModelThread): void {
    if (message.type === 'disposed') {
      this.onDisposed?.();
      return;
    }
    if (message.type !== 'progress' && message.type !== 'done' && message.type !== 'failed') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.options.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    pending.stopListening();
    if (message.type === 'done') pending.resolve(message.video);
    else pending.reject(fromThreadError(message.error));
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    this.onDisposed?.();
    for (const pending of this.pending.values()) {
      pending.stopListening();
      pending.reject(threadGone(error));
    }
    this.pending.clear();
  }
}

function fromThreadError(error: ThreadError): Error {
  const codes = Object.values(PipelineErrorCode) as string[];
  if (error.name === 'PipelineError' && error.code && codes.includes(error.code))
    return new PipelineError(error.code as PipelineErrorCode, error.message);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}

function threadGone(error: Error): PipelineError {
  return new PipelineError(
    PipelineErrorCode.InferenceFailed,
    `the model's thread stopped: ${error.message}`,
    {
      cause: error,
    },
  );
}
