import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';

/**
 * Reads one file the manifest at `loaded.path` names (relative to `loaded.dir`), checking it exists
 * and matches its sha256 when one is given.
 */
export async function readModelFile(
  loaded: { dir: string; path: string },
  file: string,
  role: string,
  sha256?: string,
): Promise<Buffer> {
  const path = resolve(loaded.dir, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new PipelineError(
      PipelineErrorCode.ModelFileMissing,
      `model file missing: ${path} (the ${role} named in ${loaded.path})`,
      { cause },
    );
  }
  if (sha256) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new PipelineError(
        PipelineErrorCode.ModelFileCorrupt,
        `model file corrupt: ${path} (the ${role} named in ${loaded.path}) has sha256 ${actual}, expected ${sha256}`,
      );
    }
  }
  return bytes;
}
