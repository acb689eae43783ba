import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Executor, type Fault, type RunRecord } from './executor.ts';
import { Folders } from './files.ts';
import { type InstalledFiles, type NodeInfo, objectInfo } from './object-info.ts';
import { PromptQueue } from './prompt-queue.ts';
import { previewJpeg } from './render.ts';
import { handle, type QueuedPrompt } from './routes.ts';
import { type SentMessage, Sockets } from './sockets.ts';

/** The GPU `/system_stats` reports (bytes). */
export interface DeviceStats {
  name: string;
  vram_total: number;
  vram_free: number;
  torch_vram_total: number;
  torch_vram_free: number;
}

export interface FakeComfyUIOptions {
  /** Time each KSampler step takes (default 2 ms). */
  stepMs?: number;
  /** Model files in models/diffusion_models, text_encoders and vae (default: the Wan2.2 TI2V 5B set). */
  models?: Partial<Omit<InstalledFiles, 'inputImages'>>;
  device?: Partial<DeviceStats>;
  /** ComfyUI's output cache (on by default, as without `--cache-none`). */
  cache?: boolean;
  /** Send a binary JPEG preview frame with each step (as with `--preview-method auto`). */
  previews?: boolean;
}

export const WAN_MODELS: Omit<InstalledFiles, 'inputImages'> = {
  diffusionModels: ['wan2.2_ti2v_5B_fp16.safetensors'],
  textEncoders: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors'],
  vaes: ['wan2.2_vae.safetensors'],
};

const GiB = 1024 ** 3;

/**
 * A local ComfyUI (HTTP and `/ws` on one 127.0.0.1 port) that behaves like ComfyUI's server.py and
 * execution.py for the Wan2.2 TI2V 5B nodes: validation with ComfyUI's 400 bodies, one prompt at a
 * time with its WebSocket messages, a real MP4 from ffmpeg, `/history`, `/view`, `/interrupt`,
 * `/queue`, `/system_stats` and `/upload/image`. Tests inject an out-of-memory failure, restart it,
 * and read back what was queued and run.
 */
export class FakeComfyUI {
  readonly folders: Folders;
  readonly sockets: Sockets;
  readonly #root: string;
  readonly #options: FakeComfyUIOptions;
  readonly #queue: PromptQueue;
  readonly #executor: Executor;
  readonly #prompts: QueuedPrompt[] = [];
  readonly #runs: RunRecord[] = [];
  readonly #faults: Fault[] = [];
  #models: Omit<InstalledFiles, 'inputImages'>;
  #device: DeviceStats;
  #server: Server | undefined;
  #life = new AbortController();
  #loop: Promise<void> = Promise.resolve();
  #number = 0;
  #port = 0;
  #preview: Promise<Buffer> | undefined;

  private constructor(root: string, options: FakeComfyUIOptions) {
    this.#root = root;
    this.#options = options;
    this.folders = new Folders(root);
    this.#models = { ...WAN_MODELS, ...options.models };
    this.#device = {
      name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
      vram_total: 24 * GiB,
      vram_free: 22 * GiB,
      torch_vram_total: 0,
      torch_vram_free: 0,
      ...options.device,
    };
    this.sockets = new Sockets((sid) => this.#greeting(sid));
    this.#queue = new PromptQueue(() =>
      this.sockets.send(
        'status',
        { status: { exec_info: { queue_remaining: this.#queue.remaining } } },
        null,
      ),
    );
    this.#executor = new Executor({
      sockets: this.sockets,
      folders: this.folders,
      queue: this.#queue,
      stepMs: () => this.#options.stepMs ?? 2,
      cache: options.cache ?? true,
      preview: () => this.#previewFrame(),
      takeFault: () => this.#faults.shift(),
      onRun: (record) => this.#runs.push(record),
    });
  }

  static async start(options: FakeComfyUIOptions = {}): Promise<FakeComfyUI> {
    const fake = new FakeComfyUI(await mkdtemp(path.join(tmpdir(), 'fake-comfyui-')), options);
    await fake.folders.create();
    await fake.#listen(0);
    return fake;
  }

  /** `http://127.0.0.1:<port>`, what `COMFYUI_URL` would be. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  wsUrl(clientId: string): string {
    return `ws://127.0.0.1:${this.#port}/ws?clientId=${encodeURIComponent(clientId)}`;
  }

  /** What `GET /object_info` answers now. */
  objectInfo(): Record<string, NodeInfo> {
    return objectInfo({ ...this.#models, inputImages: this.folders.inputImages() });
  }

  /** Every prompt `POST /prompt` accepted (the graph as sent), oldest first. */
  prompts(): QueuedPrompt[] {
    return [...this.#prompts];
  }

  /** Every run that ended (success, error or interrupt), oldest first. */
  runs(): RunRecord[] {
    return [...this.#runs];
  }

  /** Messages sent over `/ws`, optionally only those to one client. */
  messages(clientId?: string): SentMessage[] {
    return this.sockets.sent.filter((m) => clientId === undefined || m.to === clientId);
  }

  /**
   * The next run fails: `'oom'` raises torch's CUDA out-of-memory error (`torch.OutOfMemoryError`,
   * "Allocation on device ") at KSampler step `step` (default 1), as ComfyUI reports it.
   */
  failNext(
    kind: 'oom' | { exceptionType: string; exceptionMessage: string },
    at: { node?: string; step?: number } = {},
  ) {
    const fault =
      kind === 'oom'
        ? { exceptionType: 'torch.OutOfMemoryError', exceptionMessage: 'Allocation on device ' }
        : { ...kind };
    this.#faults.push({ ...fault, ...at });
  }

  setDevice(stats: Partial<DeviceStats>): void {
    this.#device = { ...this.#device, ...stats };
  }

  setModels(models: Partial<Omit<InstalledFiles, 'inputImages'>>): void {
    this.#models = { ...this.#models, ...models };
  }

  /** Set the time per KSampler step from now on. */
  setStepMs(ms: number): void {
    this.#options.stepMs = ms;
  }

  /** Resolves once `check` returns a value (polling every 5 ms). */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error('fake ComfyUI: timed out waiting');
      await sleep(5);
    }
  }

  /** The process dies: sockets cut, the port closed, the running prompt gone. */
  async takeDown(): Promise<void> {
    this.#life.abort();
    this.sockets.dropAll();
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.#loop.catch(() => undefined);
  }

  /** ComfyUI starts again on the same port, remembering nothing: no queue, history or cache. */
  async bringUp(): Promise<void> {
    this.#queue.forget();
    this.#executor.forget();
    this.#number = 0;
    await this.#listen(this.#port);
  }

  /** A ComfyUI restart; the port refuses connections for `downMs`. Files on disk stay. */
  async restart(options: { downMs?: number } = {}): Promise<void> {
    await this.takeDown();
    if (options.downMs) await sleep(options.downMs);
    await this.bringUp();
  }

  async stop(): Promise<void> {
    await this.takeDown();
    await rm(this.#root, { recursive: true, force: true });
  }

  #previewFrame(): Promise<Buffer> | undefined {
    if (!this.#options.previews) return undefined;
    this.#preview = this.#preview ?? previewJpeg();
    return this.#preview;
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      void handle(
        {
          info: () => this.objectInfo(),
          queue: this.#queue,
          executor: this.#executor,
          folders: this.folders,
          systemStats: () => this.#systemStats(),
          nextNumber: (front) => {
            const number = front ? -this.#number : this.#number;
            this.#number += 1;
            return number;
          },
          accepted: (prompt) => this.#prompts.push(prompt),
        },
        req,
        res,
      ).catch(() => res.destroy());
    });
    server.on('upgrade', (req, socket, head: Buffer) => this.sockets.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    this.#life = new AbortController();
    this.#loop = this.#executor.loop(this.#life.signal);
  }

  /** server.py websocket_handler: `status` first, then the running node if this client runs one. */
  #greeting(sid: string): Record<string, unknown>[] {
    const messages: Record<string, unknown>[] = [
      { type: 'status', data: { status: { exec_info: { queue_remaining: this.#queue.remaining } }, sid } },
    ];
    if (this.#executor.clientId === sid && this.#executor.lastNodeId !== null) {
      messages.push({ type: 'executing', data: { node: this.#executor.lastNodeId } });
    }
    return messages;
  }

  #systemStats(): Record<string, unknown> {
    return {
      system: {
        os: 'posix',
        ram_total: 128 * GiB,
        ram_free: 100 * GiB,
        comfyui_version: '0.3.75',
        python_version: '3.12.3 (main) [GCC 13.2.0]',
        pytorch_version: '2.9.0+cu128',
        embedded_python: false,
        argv: ['main.py', '--listen', '127.0.0.1'],
      },
      devices: [{ ...this.#device, type: 'cuda', index: 0 }],
    };
  }
}
