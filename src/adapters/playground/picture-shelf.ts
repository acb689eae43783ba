import { randomUUID } from 'node:crypto';
import { type AttachedImage, imageFromBytes } from '../../core/index.ts';

/** How many pictures wait for their line, and for how long. */
export interface ShelfLimits {
  /** How long an uploaded picture waits for the /video line that uses it. */
  lifeMs: number;
  /** Pictures one client address may have waiting; a new one pushes out its oldest. */
  perUser: number;
  /** Bytes all waiting pictures may take together; a new one pushes out the oldest anyone's. */
  totalBytes: number;
}

export const DEFAULT_SHELF_LIMITS: ShelfLimits = {
  lifeMs: 5 * 60_000,
  perUser: 4,
  totalBytes: 64 * 1024 * 1024,
};

/** The answer to a line whose picture is not (or no longer) on the shelf. */
export const PICTURE_GONE =
  'That picture is no longer here (a chosen picture waits a few minutes for its line). Choose it again and send.';

/** Who uploaded a picture: the tab's session and the client's address. */
export interface PictureOwner {
  session: string;
  user: string;
}

interface Shelved extends PictureOwner {
  name: string;
  bytes: Uint8Array;
  timer: NodeJS.Timeout;
}

/**
 * Uploaded pictures in memory, each waiting a few minutes for the /video line that names it by id.
 * The page uploads just before it sends the line, so a picture is wanted within moments; the bounds
 * keep what any client can make the bot hold small. Only the tab that uploaded a picture can use it.
 */
export class PictureShelf {
  /** In upload order, so the first entries are the oldest. */
  private readonly pictures = new Map<string, Shelved>();
  private bytes = 0;

  constructor(private readonly limits: ShelfLimits = DEFAULT_SHELF_LIMITS) {}

  /** Shelves a picture's bytes as sent (unchecked: admission reads them); answers its id. */
  put(owner: PictureOwner, name: string, bytes: Uint8Array): string {
    const id = randomUUID();
    const timer = setTimeout(() => this.remove(id), this.limits.lifeMs).unref();
    this.pictures.set(id, { ...owner, name, bytes, timer });
    this.bytes += bytes.length;
    const own = [...this.pictures].filter(([, p]) => p.user === owner.user).map(([key]) => key);
    for (const key of own.slice(0, Math.max(0, own.length - this.limits.perUser))) this.remove(key);
    for (const key of this.pictures.keys()) {
      if (this.bytes <= this.limits.totalBytes || key === id) break;
      this.remove(key);
    }
    return id;
  }

  /** The picture `id` for the tab that uploaded it, or undefined when it is gone or another's. */
  get(session: string, id: string): AttachedImage | undefined {
    const picture = this.pictures.get(id);
    return picture?.session === session ? imageFromBytes(picture.name, picture.bytes) : undefined;
  }

  /** Pictures waiting now, and their bytes. */
  get size(): { count: number; bytes: number } {
    return { count: this.pictures.size, bytes: this.bytes };
  }

  clear(): void {
    for (const id of [...this.pictures.keys()]) this.remove(id);
  }

  private remove(id: string): void {
    const picture = this.pictures.get(id);
    if (!picture) return;
    clearTimeout(picture.timer);
    this.pictures.delete(id);
    this.bytes -= picture.bytes.length;
  }
}
