import { z } from 'zod';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';

/** One file a ComfyUI node wrote, as /history lists it and /view serves it. */
export const comfyFileSchema = z.object({
  filename: z.string(),
  subfolder: z.string().default(''),
  type: z.string().default('output'),
});
export type ComfyFile = z.infer<typeof comfyFileSchema>;

const historyEntrySchema = z.object({
  outputs: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  status: z
    .object({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.unknown()).optional(),
    })
    .optional(),
});
export type ComfyHistoryEntry = z.infer<typeof historyEntrySchema>;

const queueSchema = z.object({
  queue_running: z.array(z.array(z.unknown())).default([]),
  queue_pending: z.array(z.array(z.unknown())).default([]),
});

const statsSchema = z.object({
  devices: z
    .array(z.object({ vram_free: z.number().optional(), vram_total: z.number().optional() }))
    .default([]),
});

/** How long one HTTP call to the server may take. */
const CALL_MS = 30_000;

/**
 * ComfyUI's HTTP API as clipbot uses it (server.py): queue a workflow, read its history and
 * files, interrupt or delete it, free VRAM, upload an image. A server that cannot be reached is a
 * SERVER_UNAVAILABLE error; a workflow it refuses (400) is SERVER_REFUSED with its node errors.
 */
export class ComfyClient {
  constructor(readonly baseUrl: string) {}

  /** The WebSocket address for `clientId`'s messages. */
  socketUrl(clientId: string): string {
    const url = new URL('/ws', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('clientId', clientId);
    return url.href;
  }

  async queuePrompt(graph: unknown, clientId: string, promptId: string): Promise<void> {
    const response = await this.call('POST', '/prompt', {
      prompt: graph,
      client_id: clientId,
      prompt_id: promptId,
    });
    if (response.ok) return;
    const body = await response.text();
    throw new PipelineError(
      PipelineErrorCode.ServerRefused,
      `ComfyUI at ${this.baseUrl} refused the workflow (${response.status}): ${refusalText(body)}`,
    );
  }

  /** The prompt's history entry, or undefined while it has none (queued, running, or unknown). */
  async history(promptId: string): Promise<ComfyHistoryEntry | undefined> {
    const response = await this.ok('GET', `/history/${encodeURIComponent(promptId)}`);
    const all = z.record(z.string(), historyEntrySchema).parse(await response.json());
    return all[promptId];
  }

  /** Whether the prompt is running or waiting on the server now. */
  async queued(promptId: string): Promise<'running' | 'pending' | undefined> {
    const queue = queueSchema.parse(await (await this.ok('GET', '/queue')).json());
    const has = (entries: unknown[][]) => entries.some((entry) => entry[1] === promptId);
    if (has(queue.queue_running)) return 'running';
    return has(queue.queue_pending) ? 'pending' : undefined;
  }

  async view(file: ComfyFile): Promise<Buffer> {
    const query = new URLSearchParams({
      filename: file.filename,
      subfolder: file.subfolder,
      type: file.type,
    });
    return Buffer.from(await (await this.ok('GET', `/view?${query}`)).arrayBuffer());
  }

  /** Stops the running prompt (only ours: the server checks the id). */
  async interrupt(promptId: string): Promise<void> {
    await this.ok('POST', '/interrupt', { prompt_id: promptId });
  }

  /** Takes waiting prompts off the server's queue. */
  async deleteQueued(promptIds: string[]): Promise<void> {
    await this.ok('POST', '/queue', { delete: promptIds });
  }

  /** The first device's free VRAM in MiB, or undefined when the server reports none. */
  async freeVramMB(): Promise<number | undefined> {
    const stats = statsSchema.parse(await (await this.ok('GET', '/system_stats')).json());
    const free = stats.devices[0]?.vram_free;
    return free === undefined ? undefined : free / (1024 * 1024);
  }

  /** Uploads an image into the server's input folder; returns the name a LoadImage node takes. */
  async uploadImage(bytes: Uint8Array, fileName: string): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(bytes)]), fileName);
    form.append('overwrite', 'true');
    const response = await this.ok('POST', '/upload/image', form);
    const uploaded = z
      .object({ name: z.string(), subfolder: z.string().default('') })
      .parse(await response.json());
    return uploaded.subfolder ? `${uploaded.subfolder}/${uploaded.name}` : uploaded.name;
  }

  private async ok(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.call(method, path, body);
    if (!response.ok)
      throw new PipelineError(
        response.status >= 500 ? PipelineErrorCode.ServerUnavailable : PipelineErrorCode.ServerRefused,
        `ComfyUI at ${this.baseUrl} answered ${method} ${path.split('?')[0]} with ${response.status}`,
      );
    return response;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const init: RequestInit = { method, signal: AbortSignal.timeout(CALL_MS) };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    try {
      return await fetch(new URL(path, this.baseUrl), init);
    } catch (cause) {
      throw new PipelineError(
        PipelineErrorCode.ServerUnavailable,
        `ComfyUI at ${this.baseUrl} cannot be reached (${method} ${path.split('?')[0]}): ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`,
        { cause },
      );
    }
  }
}

/** ComfyUI's 400 body in one line: its error message and each node's errors. */
function refusalText(body: string): string {
  try {
    const parsed = z
      .object({
        error: z.object({ message: z.string().optional(), details: z.string().optional() }).optional(),
        node_errors: z
          .record(
            z.string(),
            z.object({
              class_type: z.string().optional(),
              errors: z
                .array(z.object({ message: z.string().optional(), details: z.string().optional() }))
                .default([]),
            }),
          )
          .default({}),
      })
      .parse(JSON.parse(body));
    const nodes = Object.entries(parsed.node_errors).flatMap(([id, node]) =>
      node.errors.map((e) =>
        `node ${id} (${node.class_type ?? '?'}): ${e.message ?? ''} ${e.details ?? ''}`.trim(),
      ),
    );
    return [parsed.error?.message, ...nodes].filter(Boolean).join('; ').slice(0, 1_000);
  } catch {
    return body.slice(0, 300);
  }
}
