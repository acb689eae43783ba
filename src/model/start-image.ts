/** A checked picture's bytes and a name for it (the server stores it under that name). */
export interface StartImage {
  bytes: Uint8Array;
  /** Unique per content (its hash), with the format's extension: `clipbot-<sha>.png`. */
  fileName: string;
}

/** A start image named by its content, so a server that keeps uploads stores each picture once. */
export function startImage(bytes: Uint8Array, sha256: string, format: string): StartImage {
  const extension = format === 'jpeg' ? 'jpg' : format;
  return { bytes, fileName: `clipbot-${sha256.slice(0, 16)}.${extension}` };
}
