import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from './api-error.ts';
import { parseBody } from './multipart.ts';
import type { RateLimits } from './rate-limits.ts';
import { matchRoute, type Route, type RouteAnswer } from './route.ts';
import type { FakeState } from './state.ts';
import type { RecordedRequest } from './types.ts';

/** Bigger bodies are refused before parsing; well above any upload limit the tests use. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

interface Fault {
  method?: string;
  path: RegExp;
  answer: { status: number; body?: unknown; headers?: Record<string, string> };
  remaining: number;
}

/**
 * The REST side of the fake: records every request, answers queued faults first, checks the bot token,
 * keeps rate-limit buckets, routes the request, and serves uploaded attachments.
 */
export class RestServer {
  readonly requests: RecordedRequest[] = [];
  readonly #faults: Fault[] = [];

  constructor(
    private readonly token: string,
    private readonly routes: Route[],
    private readonly rateLimits: RateLimits,
    private readonly state: FakeState,
  ) {}

  failNext(match: { method?: string; path: RegExp }, answer: Fault['answer'], times = 1): void {
    this.#faults.push({ ...match, answer, remaining: times });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.#handle(req, res).catch((error: unknown) => {
      console.error('fake-discord: request failed', error);
      if (!res.headersSent) send(res, 500, { message: '500: Internal Server Error', code: 0 }, {});
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (req.method === 'GET' && /^\/(ephemeral-)?attachments\//.test(url.pathname))
      return this.#serveAttachment(url, res);
    const path = url.pathname.startsWith('/api/v10/') ? url.pathname.slice('/api/v10'.length) : url.pathname;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: path.split('/').map(decode).join('/'),
      query: Object.fromEntries(url.searchParams),
      auth: authOf(req.headers.authorization, this.token),
      body: undefined,
      files: [],
      status: 0,
      at,
    };
    this.requests.push(recorded);
    const answer = (status: number, body: unknown, headers: Record<string, string>) => {
      recorded.status = status;
      send(res, status, body, headers);
    };
    if (raw === undefined) return answer(413, errors.tooLarge().body(), {});
    let parsed: Awaited<ReturnType<typeof parseBody>>;
    try {
      parsed = await parseBody(req.headers['content-type'], raw);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : errors.invalidJson();
      return answer(apiError.status, apiError.body(), {});
    }
    recorded.body = parsed.json;
    recorded.files = parsed.files.map(({ field, name, bytes, contentType }) => ({
      field,
      name,
      bytes,
      contentType,
    }));

    const found = this.#route(recorded.method, recorded.path);
    const bucket = found
      ? this.rateLimits.take(
          `${found.route.method} ${found.route.pattern}`,
          majorOf(found.route, found.params),
        )
      : this.rateLimits.take('unrouted', '');
    const fault = this.#takeFault(recorded.method, recorded.path);
    if (fault) return answer(fault.status, faultBody(fault), faultHeaders(bucket.headers, fault));
    if (!url.pathname.startsWith('/api/v10/')) return answer(404, errors.notFound().body(), bucket.headers);
    if (!found) return answer(404, errors.notFound().body(), bucket.headers);
    if (!found.allowed) return answer(405, errors.methodNotAllowed().body(), bucket.headers);
    if (found.route.auth === 'bot' && recorded.auth !== 'bot') {
      return answer(401, errors.unauthorized().body(), bucket.headers);
    }
    if (!bucket.allowed) {
      // The header is whole seconds, the body's retry_after is exact; discord.js reads the header.
      const retryAfter = String(Math.max(1, Math.ceil(bucket.retryAfterS)));
      const body = { message: 'You are being rate limited.', retry_after: bucket.retryAfterS, global: false };
      return answer(429, body, { ...bucket.headers, 'Retry-After': retryAfter, 'X-RateLimit-Scope': 'user' });
    }
    let result: RouteAnswer;
    try {
      result = await found.route.handle({
        method: recorded.method,
        path: recorded.path,
        params: found.params,
        query: recorded.query,
        body: parsed.json,
        files: parsed.files,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return answer(error.status, error.body(), bucket.headers);
    }
    answer(result.status, result.body, bucket.headers);
  }

  /** The route for a path: the one with this method, else any other (then the answer is 405). */
  #route(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string>; allowed: boolean } | undefined {
    let other: { route: Route; params: Record<string, string>; allowed: boolean } | undefined;
    for (const route of this.routes) {
      const params = matchRoute(route.pattern, path);
      if (!params) continue;
      if (route.method === method) return { route, params, allowed: true };
      other ??= { route, params, allowed: false };
    }
    return other;
  }

  #takeFault(method: string, path: string): Fault['answer'] | undefined {
    const fault = this.#faults.find(
      (candidate) =>
        (!candidate.method || candidate.method.toUpperCase() === method) && candidate.path.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    return fault.answer;
  }

  #serveAttachment(url: URL, res: ServerResponse): void {
    const id = url.pathname.split('/')[3] ?? '';
    const attachment = this.state.attachments.get(id);
    // A signed CDN link (`ex`: its expiry, hex seconds) past its time is gone, as on Discord.
    const expiry = url.searchParams.get('ex');
    if (!attachment || (expiry && Number.parseInt(expiry, 16) * 1000 < Date.now())) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    res
      .writeHead(200, {
        'Content-Type': attachment.contentType ?? 'application/octet-stream',
        'Content-Length': attachment.size,
      })
      .end(attachment.bytes);
  }
}

function authOf(header: string | undefined, token: string): RecordedRequest['auth'] {
  if (header === undefined) return 'none';
  return header === `Bot ${token}` ? 'bot' : 'wrong';
}

function majorOf(route: Route, params: Record<string, string>): string {
  return (route.major ?? []).map((name) => params[name] ?? '').join('/');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function faultBody(fault: Fault['answer']): unknown {
  if (fault.body !== undefined) return fault.body;
  if (fault.status === 429) {
    const retryAfter = Number(fault.headers?.['Retry-After'] ?? 1);
    return { message: 'You are being rate limited.', retry_after: retryAfter, global: false };
  }
  const names: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
  };
  return { message: `${fault.status}: ${names[fault.status] ?? 'Error'}`, code: 0 };
}

/** A faked 429 says when to retry (Retry-After, 1 s unless given) and empties the bucket, as Discord does. */
function faultHeaders(bucket: Record<string, string>, fault: Fault['answer']): Record<string, string> {
  if (fault.status !== 429) return { ...bucket, ...fault.headers };
  const retryAfter = fault.headers?.['Retry-After'] ?? '1';
  return {
    ...bucket,
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset-After': Number(retryAfter).toFixed(3),
    'X-RateLimit-Reset': ((Date.now() + Number(retryAfter) * 1000) / 1000).toFixed(3),
    'Retry-After': retryAfter,
    'X-RateLimit-Scope': 'user',
    ...fault.headers,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
