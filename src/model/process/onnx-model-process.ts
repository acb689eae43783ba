import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
import type { FromModelProcess, ModelProcessError, ToModelProcess } from './messages.ts';

export interface ModelProcessOptions {
  providers?: readonly ExecutionProviderName[];
  threads?: number;
  logger?: Logger;
  /** The process's entry module; default model-process-entry.mjs (a bundle brings its own). */
  entry?: URL;
}

interface Pending {
  options: GenerateOptions;
  resolve(video: GeneratedVideo): void;
  reject(error: unknown): void;
  stopListening(): void;
}

const ENTRY = new URL('./model-process-entry.mjs', import.meta.url);
/** How long dispose() waits for the process to exit once told to, before it kills it. */
const EXIT_GRACE_MS = 5_000;

/**
 * The ONNX pipeline in a child process of its own (model-process.ts says why not a thread), behind the
 * same interface: the worker keeps encoding, storing and replying while a step runs. Tiers, batch keys
 * and the manifest are read here; frames come back over the IPC channel (a copy: 0.1 MB a clip at the
 * low tier, 1.8 MB at the high). A process that dies fails every generation in flight with a clear error.
 */
export class OnnxModelProcess extends ManifestModel<OnnxManifest> implements BatchingVideoModel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private ended: Error | undefined;
  private onDisposed: (() => void) | undefined;

  private constructor(
    manifest: OnnxManifest,
    private readonly child: ChildProcess,
    readonly provider: ExecutionProviderName,
  ) {
    super(manifest);
    child.on('message', (message: FromModelProcess) => this.onMessage(message));
    child.on('error', (error) => this.end(error));
    child.on('exit', (code, signal) =>
      this.end(new Error(`the model process exited (${signal ?? `code ${code}`})`)),
    );
  }

  /** Reads the manifest here, then loads the model in a new process (cuda → webgpu → cpu, as asked). */
  static async load(manifestPath: string, options: ModelProcessOptions = {}): Promise<OnnxModelProcess> {
    const { manifest } = await loadOnnxManifest(manifestPath);
    // No execArgv: the parent's (a test runner's, tsx's) are not the child's business; the entry
    // registers the loader it needs. 'advanced' serialization carries the frames' typed arrays.
    const child = fork(fileURLToPath(options.entry ?? ENTRY), [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const load: ToModelProcess = {
      type: 'load',
      manifestPath,
      ...(options.providers ? { providers: [...options.providers] } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.logger ? { logLevel: options.logger.level } : {}),
    };
    let stopWaiting = () => {};
    const provider = await new Promise<ExecutionProviderName>((resolve, reject) => {
      const onMessage = (message: FromModelProcess) => {
        if (message.type === 'loaded') resolve(message.provider as ExecutionProviderName);
        else if (message.type === 'load-failed') reject(fromProcessError(message.error));
      };
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`the model process exited (${signal ?? `code ${code}`}) while loading`));
      child.on('message', onMessage).on('error', reject).on('exit', onExit);
      stopWaiting = () => child.off('message', onMessage).off('error', reject).off('exit', onExit);
      child.send(load);
    })
      .catch(async (error: unknown) => {
        await stopProcess(child, 0);
        throw error;
      })
      .finally(() => stopWaiting());
    return new OnnxModelProcess(manifest, child, provider);
  }

  /** The model process's pid while it runs (for logs and an operator's ps). */
  get pid(): number | undefined {
    return this.ended ? undefined : this.child.pid;
  }

  generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    return this.generateBatch([{ request, options }])[0] as Promise<GeneratedVideo>;
  }

  batchKey(request: GenerateRequest): string | undefined {
    return requestBatchKey(this.manifest, request);
  }

  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    const sent: Extract<ToModelProcess, { type: 'batch' }>['items'] = [];
    const abortedAlready: (() => void)[] = [];
    const promises = items.map(
      ({ request, options }) =>
        new Promise<GeneratedVideo>((resolve, reject) => {
          if (this.ended) return reject(processGone(this.ended));
          const id = this.nextId++;
          const { signal } = options;
          // The process checks its own signal between steps; this one only forwards the abort.
          const onAbort = () => this.send({ type: 'abort', id, reason: String(signal?.reason ?? 'aborted') });
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
    if (sent.length > 0) this.send({ type: 'batch', items: sent });
    // After the batch, so that the process knows the ids it is told to stop.
    for (const abort of abortedAlready) abort();
    return promises;
  }

  async dispose(): Promise<void> {
    if (!this.ended) {
      await new Promise<void>((resolve) => {
        this.onDisposed = resolve;
        this.send({ type: 'dispose' });
      });
    }
    await stopProcess(this.child, EXIT_GRACE_MS);
  }

  /** Sends when the channel is open; a process that has gone is reported by 'exit', not by a throw here. */
  private send(message: ToModelProcess): void {
    if (this.child.connected) this.child.send(message);
  }

  private onMessage(message: FromModelProcess): void {
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
    else pending.reject(fromProcessError(message.error));
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    this.onDisposed?.();
    for (const pending of this.pending.values()) {
      pending.stopListening();
      pending.reject(processGone(error));
    }
    this.pending.clear();
  }
}

/** Closes the IPC channel (the process exits on 'disconnect'), then kills it if it has not gone in `graceMs`. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function fromProcessError(error: ModelProcessError): Error {
  const codes = Object.values(PipelineErrorCode) as string[];
  if (error.name === 'PipelineError' && error.code && codes.includes(error.code))
    return new PipelineError(error.code as PipelineErrorCode, error.message);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}

function processGone(error: Error): PipelineError {
  return new PipelineError(
    PipelineErrorCode.InferenceFailed,
    `the model's process stopped: ${error.message}`,
    {
      cause: error,
    },
  );
}
