import type { IncomingMessage, ServerResponse } from 'node:http';
import { IMAGE_MAX_BYTES } from '../../core/index.ts';
import { readBody, sendJson, sendTooLarge } from './http-io.ts';
import { DEFAULT_SHELF_LIMITS, type PictureOwner, PictureShelf, type ShelfLimits } from './picture-shelf.ts';

/** Uploads being read at once: each may hold up to 10 MiB until it is shelved. */
export interface UploadLimits {
  perUser: number;
  total: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { perUser: 2, total: 8 };

const TOO_LARGE = `The picture is too large: ${IMAGE_MAX_BYTES / (1024 * 1024)} MB at most.`;
const BUSY = 'Too many pictures are on their way right now. Please send yours again in a moment.';

/** The file's name as sent: one line, of a readable length; "picture" when there is none. */
function fileName(raw: string | null): string {
  const name = (raw ?? '').replace(/\p{Cc}/gu, '').trim();
  return name.length > 100 ? `${name.slice(0, 99)}…` : name || 'picture';
}

/**
 * `POST /api/images?name=cat.png`: a picture's raw bytes as the body, read up to the picture limit
 * (one more byte tells an oversized file: 413) and shelved for the line that sends it, answering
 * `201 { imageId }`. Its format is not looked at here: admission reads every picture the same way,
 * whichever platform it came from, and refuses what is not one.
 */
export class PictureUploads {
  readonly shelf: PictureShelf;
  private readonly reading = new Map<string, number>();
  private readingTotal = 0;

  constructor(
    shelf?: Partial<ShelfLimits>,
    private readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  ) {
    this.shelf = new PictureShelf({ ...DEFAULT_SHELF_LIMITS, ...shelf });
  }

  async receive(
    req: IncomingMessage,
    res: ServerResponse,
    owner: PictureOwner,
    name: string | null,
  ): Promise<void> {
    const { user } = owner;
    const mine = this.reading.get(user) ?? 0;
    if (mine >= this.limits.perUser || this.readingTotal >= this.limits.total) {
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', '5');
      return sendJson(res, 429, { error: BUSY });
    }
    this.reading.set(user, mine + 1);
    this.readingTotal++;
    try {
      const body = await readBody(req, IMAGE_MAX_BYTES);
      if (body.kind === 'too-large') return sendTooLarge(res, TOO_LARGE);
      sendJson(res, 201, { imageId: this.shelf.put(owner, fileName(name), body.bytes) });
    } finally {
      const left = (this.reading.get(user) ?? 1) - 1;
      if (left > 0) this.reading.set(user, left);
      else this.reading.delete(user);
      this.readingTotal--;
    }
  }
}
