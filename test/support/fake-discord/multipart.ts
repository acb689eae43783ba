import { errors } from './api-error.ts';
import type { UploadedFile } from './message-bodies.ts';

/** A request body as Discord reads it: JSON, or multipart with `payload_json` and `files[n]` parts. */
export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
}

/**
 * Parses a JSON or multipart/form-data body. Multipart goes through the WHATWG `Request#formData()` of
 * Node 20; plain form fields other than `payload_json` become JSON fields, as Discord accepts them.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [] };
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(contentType as string, raw);
  try {
    return { json: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw errors.invalidJson();
  }
}

async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Request('http://fake-discord.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(raw),
    }).formData();
  } catch {
    throw errors.invalidJson();
  }
  let json: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  // Node's FormData is iterable; the ES2023 lib without DOM.Iterable does not say so.
  for (const [field, value] of form as unknown as Iterable<[string, string | File]>) {
    if (typeof value !== 'string') {
      const index = /^files\[(\d+)\]$/.exec(field)?.[1];
      files.push({
        field,
        ...(index === undefined ? {} : { index: Number(index) }),
        name: value.name,
        bytes: Buffer.from(await value.arrayBuffer()),
        contentType: value.type || 'application/octet-stream',
      });
    } else if (field === 'payload_json') {
      try {
        json = { ...json, ...(JSON.parse(value) as Record<string, unknown>) };
      } catch {
        throw errors.invalidJson();
      }
    } else {
      json[field] = value;
    }
  }
  return { json, files };
}
