import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 16 * 1024;
/** How much of an oversized body is read and thrown away so its 413 arrives intact, not as a reset. */
const MAX_DRAIN_BYTES = 1024 * 1024;

/** A request body's bytes, or that it is over the limit. */
export type BodyBytes = { kind: 'bytes'; bytes: Buffer } | { kind: 'too-large' };

/** A request body as JSON: its value, or why there is none. */
export type JsonBody = { kind: 'json'; value: unknown } | { kind: 'too-large' } | { kind: 'malformed' };

/**
 * Reads a request body of at most `maxBytes`. An oversized body is still read to its end (up to
 * MAX_DRAIN_BYTES more, and thrown away), so the client, which sends the body before it reads the
 * answer, gets {@link sendTooLarge}'s 413 rather than a reset connection.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyBytes> {
  const drainTo = maxBytes + MAX_DRAIN_BYTES;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > drainTo) return { kind: 'too-large' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > drainTo) return { kind: 'too-large' }; // leaving the loop destroys the request
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  return size > maxBytes ? { kind: 'too-large' } : { kind: 'bytes', bytes: Buffer.concat(chunks) };
}

/** Reads a request body of at most MAX_BODY_BYTES as JSON (see {@link readBody}). */
export async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.kind === 'too-large') return body;
  try {
    return { kind: 'json', value: JSON.parse(body.bytes.toString('utf8')) as unknown };
  } catch {
    return { kind: 'malformed' };
  }
}

/** 413 for a body over the limit, closing the connection (what is left of the body is not read). */
export function sendTooLarge(
  res: ServerResponse,
  error = `The request is too large (${MAX_BODY_BYTES / 1024} KiB at most).`,
): void {
  res.setHeader('connection', 'close');
  sendJson(res, 413, { error });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Sends bytes, honouring a single `Range: bytes=a-b` (browsers seek video with ranges). */
export function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, type: string): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  const headers = {
    'content-type': type,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=86400',
  };
  if (!range || (range[1] === '' && range[2] === '')) {
    res.writeHead(200, { ...headers, 'content-length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
    return;
  }
  const last = bytes.length - 1;
  const start = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
  const end = range[1] === '' || range[2] === '' ? last : Math.min(Number(range[2]), last);
  if (start > end || start > last) {
    res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    return;
  }
  res.writeHead(206, {
    ...headers,
    'content-range': `bytes ${start}-${end}/${bytes.length}`,
    'content-length': end - start + 1,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
}
