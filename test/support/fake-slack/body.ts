import type { IncomingMessage } from 'node:http';

/** Bigger bodies are refused; well above any clip the tests upload. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

/** A request body as the Web API reads it: form fields, JSON fields, and any uploaded file parts. */
export interface ParsedBody {
  fields: Record<string, unknown>;
  files: { field: string; name: string; bytes: Buffer }[];
}

/** The whole body, or undefined when it is over the limit. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

/**
 * Parses `application/x-www-form-urlencoded` (what @slack/web-api sends), `application/json`, and
 * `multipart/form-data` (through Node 20's WHATWG `Request#formData()`). Throws on malformed JSON.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  const type = (contentType ?? '').toLowerCase();
  if (raw.length === 0) return { fields: {}, files: [] };
  if (type.startsWith('application/json')) {
    const json: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new SyntaxError('not an object');
    return { fields: json as Record<string, unknown>, files: [] };
  }
  if (type.startsWith('multipart/form-data')) return parseMultipart(contentType as string, raw);
  return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [] };
}

async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  const form = await new Request('http://fake-slack.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(raw),
  }).formData();
  const parsed: ParsedBody = { fields: {}, files: [] };
  // Node's FormData is iterable; the ES2023 lib without DOM.Iterable does not say so.
  for (const [field, value] of form as unknown as Iterable<[string, string | File]>) {
    if (typeof value === 'string') parsed.fields[field] = value;
    else parsed.files.push({ field, name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return parsed;
}
