import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from './artifact-store.ts';

const SAFE_KEY = /^[A-Za-z0-9._-]{1,200}$/;

/** MP4s as files in one folder, for large clips or a Redis without much memory; old files expire. */
export class DirectoryArtifactStore implements ArtifactStore {
  constructor(
    private readonly dir: string,
    private readonly ttlMs: number,
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = this.path(key);
    const partial = `${path}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path); // readers never see half a file
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.path(key);
    try {
      const info = await stat(path);
      if (Date.now() - info.mtimeMs > this.ttlMs) {
        await rm(path, { force: true });
        return null;
      }
      return await readFile(path);
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Removes expired files; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [])) {
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (info && now - info.mtimeMs > this.ttlMs) {
        await rm(join(this.dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private path(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`artifact key must match ${SAFE_KEY}: ${JSON.stringify(key)}`);
    return join(this.dir, `${key}.mp4`);
  }
}
