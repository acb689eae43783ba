import { CodedError } from './coded-error.ts';

/** The largest picture a request may attach: 10 MiB, read as "10 MB" in messages. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/**
 * A picture's sides, in pixels: too small to animate below, and above a size whose decoded pixels
 * (4 bytes each) would cost the inference server more memory than the clip itself.
 */
export const IMAGE_SIDES = { min: 64, max: 8192, maxPixels: 50_000_000 } as const;

/**
 * A picture attached to a /video request (image to video), not read yet: what the platform says of
 * it, and how to fetch its bytes with the platform's own credentials (a Discord attachment's URL,
 * a Slack file through files.info and the bot token, a playground upload). Admission reads it once,
 * checks the bytes themselves (type, size, dimensions) and keeps it beside the job.
 */
export interface AttachedImage {
  /** The file's name as shared, for the user's messages and the logs. */
  readonly name: string;
  /** The size the platform declares, when it does: far too large is refused before any download. */
  readonly declaredBytes?: number;
  /**
   * The file's bytes, reading no more than `maxBytes + 1` (one more tells an oversized file from
   * one that just fits). Rejects with an {@link ImageUnavailableError} saying why, in words for
   * the user (the file was deleted, the bot cannot see it).
   */
  read(maxBytes: number): Promise<Uint8Array>;
}

/**
 * A file's name inside a refusal: quoted, at most 40 characters, with nothing that could format
 * chat text (backticks, emphasis, angle brackets) or break the line.
 */
export function shownFileName(name: string): string {
  const plain = name.replace(/[\p{Cc}`*_~|<>[\]]/gu, '').trim() || 'image';
  return `"${plain.length > 40 ? `${plain.slice(0, 39)}…` : plain}"`;
}

/** Why an attached image could not be read; the message is for the user. */
export class ImageUnavailableError extends CodedError<'IMAGE_UNAVAILABLE'> {
  override readonly name = 'ImageUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_UNAVAILABLE', message, options);
  }
}

/**
 * Reads a fetched file's body, stopping after `maxBytes + 1` bytes so an oversized file costs no
 * more than that to recognise. The caller has checked the status.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes + 1));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** An image already in memory (a playground upload, a stored start image): read() gives its bytes. */
export function imageFromBytes(name: string, bytes: Uint8Array): AttachedImage {
  return {
    name,
    declaredBytes: bytes.length,
    read: async (maxBytes) => bytes.subarray(0, maxBytes + 1),
  };
}
