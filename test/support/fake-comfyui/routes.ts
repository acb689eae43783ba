import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Executor } from './executor.ts';
import type { Folders } from './files.ts';
import type { NodeInfo } from './object-info.ts';
import type { PromptQueue } from './prompt-queue.ts';
import { validatePrompt } from './validate.ts';

/** A prompt `POST /prompt` accepted, as the fake recorded it. */
export interface QueuedPrompt {
  promptId: string;
  number: number;
  clientId: string | null;
  prompt: Record<string, unknown>;
}

export interface RouteDeps {
  info(): Record<string, NodeInfo>;
  queue: PromptQueue;
  executor: Executor;
  folders: Folders;
  systemStats(): Record<string, unknown>;
  nextNumber(front: boolean): number;
  accepted(prompt: QueuedPrompt): void;
}

type Handler = (deps: RouteDeps, req: IncomingMessage, url: URL, body: Buffer) => Promise<Reply> | Reply;
type Reply = { status: number; json?: unknown; text?: string; file?: { path: string; name: string } };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const ok = (json?: unknown): Reply =>
  json === undefined ? { status: 200, text: '' } : { status: 200, json };
const NO_PROMPT = {
  error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
  node_errors: {},
};
/** aiohttp's answer when a handler raises, e.g. `await request.json()` on a body that is not JSON. */
const SERVER_ERROR: Reply = {
  status: 500,
  text: '500 Internal Server Error\n\nServer got itself in trouble',
};
const MIME: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.png': 'image/png' };

function json(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

const routes: Record<string, Handler> = {
  'GET /object_info': (deps) => ok(deps.info()),
  'GET /prompt': (deps) => ok({ exec_info: { queue_remaining: deps.queue.remaining } }),
  'POST /prompt': (deps, _req, _url, body) => {
    const data = json(body);
    if (!isRecord(data)) return { status: 400, json: NO_PROMPT };
    const number = 'number' in data ? Number(data.number) : deps.nextNumber(data.front === true);
    if (!('prompt' in data) || !isRecord(data.prompt)) return { status: 400, json: NO_PROMPT };
    const prompt = data.prompt;
    const promptId =
      data.prompt_id === undefined || data.prompt_id === null ? randomUUID() : String(data.prompt_id);
    const folders = deps.folders;
    const result = validatePrompt({ prompt, info: deps.info(), imageExists: (n) => folders.imageExists(n) });
    if (!result.ok) return { status: 400, json: { error: result.error, node_errors: result.nodeErrors } };
    const extra: Record<string, unknown> = isRecord(data.extra_data) ? structuredClone(data.extra_data) : {};
    if ('client_id' in data) extra.client_id = data.client_id;
    extra.create_time = Date.now();
    const clientId = typeof extra.client_id === 'string' ? extra.client_id : null;
    deps.accepted({ promptId, number, clientId, prompt: structuredClone(prompt) });
    deps.queue.put([number, promptId, prompt, extra, result.outputs]);
    return ok({ prompt_id: promptId, number, node_errors: result.nodeErrors });
  },
  'GET /queue': (deps) => ok(deps.queue.snapshot()),
  'POST /queue': (deps, _req, _url, body) => {
    const data = json(body);
    if (isRecord(data) && data.clear === true) deps.queue.wipe();
    if (isRecord(data) && Array.isArray(data.delete))
      for (const id of data.delete) deps.queue.delete(String(id));
    return ok();
  },
  'POST /interrupt': (deps, _req, _url, body) => {
    let data: unknown = {};
    try {
      data = json(body);
    } catch {
      // server.py catches the JSONDecodeError: no body means a global interrupt.
    }
    const promptId =
      isRecord(data) && typeof data.prompt_id === 'string' && data.prompt_id ? data.prompt_id : undefined;
    deps.executor.interrupt(promptId);
    return ok();
  },
  'GET /history': (deps, _req, url) => {
    const max = url.searchParams.get('max_items');
    if (max !== null && !/^-?\d+$/.test(max)) return { status: 400, text: 'max_items must be an integer' };
    const offset = url.searchParams.get('offset');
    return ok(
      deps.queue.history(undefined, max === null ? undefined : Number(max), offset ? Number(offset) : -1),
    );
  },
  'POST /history': (deps, _req, _url, body) => {
    const data = json(body);
    if (isRecord(data) && data.clear === true) deps.queue.wipeHistory();
    if (isRecord(data) && Array.isArray(data.delete))
      for (const id of data.delete) deps.queue.deleteHistory(String(id));
    return ok();
  },
  'GET /view': (deps, _req, url) => {
    const found = deps.folders.view(url.searchParams);
    return 'status' in found
      ? { status: found.status, text: '' }
      : { status: 200, file: { path: found.file, name: found.name } };
  },
  'GET /system_stats': (deps) => ok(deps.systemStats()),
  'POST /upload/image': async (deps, req, _url, body) => {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) return { status: 400, text: '' };
    const form = await new Request('http://fake-comfyui.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body),
    }).formData();
    const image = form.get('image');
    if (image === null || typeof image === 'string') return { status: 400, text: '' };
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const saved = await deps.folders.upload(Buffer.from(await image.arrayBuffer()), image.name, {
      ...(field('type') === undefined ? {} : { type: field('type') }),
      ...(field('subfolder') === undefined ? {} : { subfolder: field('subfolder') }),
      ...(field('overwrite') === undefined ? {} : { overwrite: field('overwrite') }),
    });
    return saved ? ok(saved) : { status: 400, text: '' };
  },
  'POST /free': () => ok(),
};

/** Answers one request the way server.py's routes do (each also under `/api`). */
export async function handle(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const pathname = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  let reply: Reply;
  const method = req.method ?? 'GET';
  const objectInfo = /^\/object_info\/(.+)$/.exec(pathname);
  const history = /^\/history\/(.+)$/.exec(pathname);
  try {
    if (method === 'GET' && objectInfo?.[1]) {
      const name = decodeURIComponent(objectInfo[1]);
      const info = deps.info()[name];
      reply = ok(info ? { [name]: info } : {});
    } else if (method === 'GET' && history?.[1]) {
      reply = ok(deps.queue.history(decodeURIComponent(history[1])));
    } else {
      const route = routes[`${method} ${pathname}`];
      reply = route ? await route(deps, req, url, body) : { status: 404, text: '404: Not Found' };
    }
  } catch {
    reply = SERVER_ERROR;
  }
  send(res, reply);
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.file) {
    const type = MIME[path.extname(reply.file.name).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Disposition': `filename="${reply.file.name}"` });
    createReadStream(reply.file.path).pipe(res);
    return;
  }
  if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(reply.status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(reply.text ?? '');
}
