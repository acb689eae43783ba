import type { IncomingMessage, ServerResponse } from 'node:http';
import { SlackApiError } from './api-error.ts';
import { type ParsedBody, parseBody, readBody } from './body.ts';
import type { Faults } from './faults.ts';
import type { ApiContext, Method } from './method.ts';
import { mimetypeOf } from './methods/files.ts';
import { answerResponseUrl } from './response-urls.ts';
import type { Caller } from './state.ts';
import type { FakeCall } from './types.ts';

/**
 * The HTTP side of the fake: the Web API (`POST /api/<method>`, every call recorded), the upload URLs
 * `files.getUploadURLExternal` hands out, response URLs, and `url_private` downloads.
 */
export class ApiServer {
  readonly calls: FakeCall[] = [];

  constructor(
    private readonly context: ApiContext,
    private readonly methods: Record<string, Method>,
    private readonly faults: Faults,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.#handle(req, res).catch((error: unknown) => {
      console.error('fake-slack: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error' });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (raw === undefined) return sendText(res, 413, 'request_too_large');
    const [, area, id] = url.pathname.split('/');
    if (area === 'api' && id) return this.#api(req, res, id, url, raw, at);
    if (area === 'upload' && id && req.method === 'POST') return this.#upload(req, res, id, raw);
    if (area === 'response' && id && req.method === 'POST') {
      const answer = answerResponseUrl(this.context.state, id, raw);
      return sendText(res, answer.status, answer.body);
    }
    if (area === 'files-pri' && id && req.method === 'GET') return this.#download(req, res, id);
    sendText(res, 404, 'not_found');
  }

  async #api(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    raw: Buffer,
    at: number,
  ): Promise<void> {
    let body: ParsedBody = { fields: {}, files: [] };
    let malformed = false;
    try {
      body = await parseBody(req.headers['content-type'], raw);
    } catch {
      malformed = true;
    }
    const { token: fieldToken, ...args } = { ...Object.fromEntries(url.searchParams), ...body.fields };
    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const token = bearer ?? (typeof fieldToken === 'string' && fieldToken !== '' ? fieldToken : undefined);
    const call: FakeCall = {
      method,
      args,
      ...(token === undefined ? {} : { token }),
      status: 0,
      ok: false,
      at,
    };
    this.calls.push(call);
    const answer = (status: number, json: Record<string, unknown>, headers: Record<string, string> = {}) => {
      call.status = status;
      call.ok = json.ok === true;
      if (typeof json.error === 'string') call.error = json.error;
      sendJson(res, status, json, headers);
    };

    if (malformed) return answer(200, { ok: false, error: 'invalid_json' });
    const queued = this.faults.takeQueued(method);
    if (queued) return answer(queued.status, queued.body, queued.headers);
    const spec = this.methods[method];
    if (!spec) return answer(200, { ok: false, error: 'unknown_method' });
    let caller: Caller | undefined;
    if (spec.auth !== 'none') {
      if (token === undefined) return answer(200, { ok: false, error: 'not_authed' });
      const found = this.context.state.caller(token);
      if (typeof found === 'string') return answer(200, { ok: false, error: found });
      if ((spec.auth === 'app') !== (found.kind === 'app')) {
        return answer(200, { ok: false, error: 'not_allowed_token_type' });
      }
      caller = found;
      const limited = this.faults.takeRateLimit(method, found.kind === 'app' ? 'app' : found.team.id);
      if (limited) return answer(limited.status, limited.body, limited.headers);
    }
    try {
      const result = await spec.handle({ args, caller, ...basicAuth(authorization) });
      answer(200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      answer(200, error.body());
    }
  }

  /** The bytes of an upload: a multipart part (`body`, as @slack/web-api names it) or the raw body. */
  async #upload(req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer): Promise<void> {
    const file = this.context.state.files.get(id);
    if (!file || file.completed) return sendText(res, 404, 'file_not_found');
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    let bytes = raw;
    if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
      const parsed = await parseBody(type.startsWith('multipart') ? req.headers['content-type'] : type, raw);
      const part = parsed.files.find((candidate) => candidate.field === 'body') ?? parsed.files[0];
      const field = parsed.fields.body;
      if (part) bytes = part.bytes;
      else if (typeof field === 'string') bytes = Buffer.from(field);
      else return sendText(res, 400, 'no_file_data');
    }
    file.bytes = bytes;
    sendText(res, 200, `OK - ${bytes.length}`);
  }

  /**
   * `url_private` and `url_private_download`: the file's bytes to a request with its team's bot
   * token, as Slack serves them. Without that token Slack sends the browser to the workspace's
   * sign-in page (302), the same for a file that exists or not; a deleted file is 404.
   */
  #download(req: IncomingMessage, res: ServerResponse, teamAndFile: string): void {
    const { state } = this.context;
    const [teamId = '', fileId = ''] = teamAndFile.split('-');
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const caller = state.caller(token);
    if (typeof caller === 'string' || caller.kind === 'app' || caller.team.id !== teamId) {
      const domain = state.teams.get(teamId)?.domain ?? 'app';
      const redir = encodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      res.writeHead(302, { Location: `https://${domain}.slack.com/?redir=${redir}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    const file = state.files.get(fileId);
    if (!file?.bytes || !file.completed || file.deleted || file.teamId !== teamId) {
      sendText(res, 404, 'not_found');
      return;
    }
    res.writeHead(200, { 'Content-Type': mimetypeOf(file), 'Content-Length': file.bytes.length });
    res.end(file.bytes);
  }
}

function basicAuth(header: string): { basic?: { user: string; password: string } } {
  const encoded = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (encoded === undefined) return {};
  const [user = '', ...rest] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  return { basic: { user, password: rest.join(':') } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
