import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { z } from 'zod';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';
import type { ComfyClient, ComfyHistoryEntry } from './comfy-client.ts';

export interface ComfyRunOptions {
  /** The sampler's progress: step `value` of `max`. */
  onProgress?: (value: number, max: number) => void;
  signal?: AbortSignal;
  /** ms since the epoch: past it the prompt is stopped (DEADLINE_EXCEEDED). */
  deadline: number;
  /** How long a lost connection may take to come back before the run fails (default 30 s). */
  reconnectMs?: number;
}

/** The messages of ComfyUI's /ws that a run follows (execution.py, server.py send_sync). */
const messageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    data: z.object({ value: z.number(), max: z.number(), prompt_id: z.string().optional() }),
  }),
  z.object({
    type: z.literal('executing'),
    data: z.object({ node: z.string().nullable(), prompt_id: z.string().optional() }),
  }),
  z.object({
    type: z.literal('execution_error'),
    data: z.object({
      prompt_id: z.string(),
      node_id: z.string().optional(),
      node_type: z.string().optional(),
      exception_type: z.string().default(''),
      exception_message: z.string().default(''),
    }),
  }),
  z.object({ type: z.literal('execution_interrupted'), data: z.object({ prompt_id: z.string() }) }),
]);

/** torch's allocation failures as ComfyUI reports them (torch.OutOfMemoryError, "Allocation on device"). */
const OUT_OF_MEMORY = /OutOfMemory|out of memory|Allocation on device/i;

/**
 * Runs one workflow on a ComfyUI server to its end: listens on /ws with its own client id, queues
 * the prompt, reports the sampler's progress, and resolves with the prompt's history entry. A stop
 * (cancel or deadline) interrupts it if it runs and deletes it if it waits. A dropped connection is
 * followed up: the run goes on if the server still has the prompt, and fails with
 * SERVER_UNAVAILABLE if the server does not come back or lost it (it restarted).
 */
export async function runComfyPrompt(
  client: ComfyClient,
  graph: unknown,
  options: ComfyRunOptions,
): Promise<ComfyHistoryEntry> {
  const clientId = randomUUID();
  const promptId = randomUUID();
  let socket = await open(client, clientId, options);
  try {
    await client.queuePrompt(graph, clientId, promptId);
    for (;;) {
      const outcome = await follow(socket, promptId, options);
      if (outcome === 'done') break;
      if (outcome === 'stop') await stop(client, promptId, options);
      // The connection dropped: the server may have restarted (and forgotten the prompt) or be gone.
      socket = await reopen(client, clientId, options);
      const entry = await client.history(promptId);
      if (entry) return finished(entry, promptId);
      if (!(await client.queued(promptId)))
        throw new PipelineError(
          PipelineErrorCode.ServerUnavailable,
          `ComfyUI at ${client.baseUrl} lost the job (it restarted while making it)`,
        );
    }
    const entry = await client.history(promptId);
    if (!entry)
      throw new PipelineError(
        PipelineErrorCode.ServerUnavailable,
        `ComfyUI finished ${promptId} but has no history of it`,
      );
    return finished(entry, promptId);
  } finally {
    socket.terminate();
  }
}

/** Resolves 'done' when the prompt finished, 'stop' on a cancel or the deadline, 'lost' when the socket closed. */
function follow(
  socket: WebSocket,
  promptId: string,
  options: ComfyRunOptions,
): Promise<'done' | 'stop' | 'lost'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => resolve('stop')), Math.max(0, options.deadline - Date.now()));
    const onAbort = () => finish(() => resolve('stop'));
    const finish = (then: () => void) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      then();
    };
    const onClose = () => finish(() => resolve('lost'));
    const onMessage = (raw: WebSocket.RawData, binary: boolean) => {
      if (binary) return; // preview frames
      let parsed: z.infer<typeof messageSchema>;
      try {
        const result = messageSchema.safeParse(JSON.parse(raw.toString()));
        if (!result.success) return; // status, execution_start, executed and the like
        parsed = result.data;
      } catch {
        return;
      }
      const { type, data } = parsed;
      if (data.prompt_id !== undefined && data.prompt_id !== promptId) return;
      if (type === 'progress') options.onProgress?.(data.value, data.max);
      // `execution_success` comes before the history is written; `executing` with no node after it.
      else if (type === 'executing' && data.node === null) finish(() => resolve('done'));
      else if (type === 'execution_error') finish(() => reject(executionError(data)));
      else if (type === 'execution_interrupted')
        finish(() =>
          reject(new PipelineError(PipelineErrorCode.InferenceFailed, 'ComfyUI interrupted the job')),
        );
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

/** Stops our prompt wherever it is on the server, then throws why. */
async function stop(client: ComfyClient, promptId: string, options: ComfyRunOptions): Promise<never> {
  const where = await client.queued(promptId).catch(() => undefined);
  if (where === 'running') await client.interrupt(promptId).catch(() => undefined);
  if (where === 'pending') await client.deleteQueued([promptId]).catch(() => undefined);
  if (options.signal?.aborted)
    throw new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled', {
      cause: options.signal.reason,
    });
  throw new PipelineError(PipelineErrorCode.DeadlineExceeded, 'generation ran past its deadline on ComfyUI');
}

function executionError(data: {
  node_id?: string;
  node_type?: string;
  exception_type: string;
  exception_message: string;
}) {
  const text = `${data.exception_type}: ${data.exception_message}`.trim();
  const where = data.node_type ? ` in ${data.node_type} (node ${data.node_id ?? '?'})` : '';
  const code = OUT_OF_MEMORY.test(text) ? PipelineErrorCode.OutOfMemory : PipelineErrorCode.InferenceFailed;
  return new PipelineError(code, `ComfyUI failed${where}: ${text.slice(0, 500)}`);
}

/** The entry of a finished prompt; an errored one (seen only after a reconnect) throws its error. */
function finished(entry: ComfyHistoryEntry, promptId: string): ComfyHistoryEntry {
  if (entry.status?.status_str === 'error') {
    const error = (entry.status.messages ?? [])
      .map((m) => z.tuple([z.string(), z.record(z.string(), z.unknown())]).safeParse(m))
      .find((m) => m.success && m.data[0] === 'execution_error');
    const data = error?.success
      ? z
          .object({ exception_type: z.string().default(''), exception_message: z.string().default('') })
          .parse(error.data[1])
      : undefined;
    throw executionError({
      exception_type: data?.exception_type ?? 'error',
      exception_message: data?.exception_message ?? `prompt ${promptId} failed`,
    });
  }
  return entry;
}

async function open(client: ComfyClient, clientId: string, options: ComfyRunOptions): Promise<WebSocket> {
  const socket = new WebSocket(client.socketUrl(clientId));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer in 10 s')), 10_000);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (cause) {
    socket.terminate();
    if (options.signal?.aborted)
      throw new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled', {
        cause: options.signal.reason,
      });
    throw new PipelineError(
      PipelineErrorCode.ServerUnavailable,
      `ComfyUI at ${client.baseUrl} cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  socket.on('error', () => {}); // a drop is seen as 'close'
  return socket;
}

/** Connects again for a while (the server restarting); SERVER_UNAVAILABLE when it stays away. */
async function reopen(client: ComfyClient, clientId: string, options: ComfyRunOptions): Promise<WebSocket> {
  const until = Math.min(options.deadline, Date.now() + (options.reconnectMs ?? 30_000));
  for (;;) {
    try {
      return await open(client, clientId, options);
    } catch (error) {
      if (Date.now() >= until || options.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
