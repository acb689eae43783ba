import type { ArtifactStore } from '../src/artifacts/index.ts';
import type { StoredImage } from '../src/core/index.ts';
import { PipelineError, PipelineErrorCode, type StartImage, startImage } from '../src/model/index.ts';

/**
 * The picture a job starts from, out of the artifact store where admission kept it. Gone (it
 * waited longer than the store keeps things) is a final failure that tells the user to attach it
 * again; retrying could not bring it back.
 */
export async function readStartImage(artifacts: ArtifactStore, image: StoredImage): Promise<StartImage> {
  const bytes = await artifacts.get(image.key);
  if (!bytes)
    throw new PipelineError(
      PipelineErrorCode.InvalidOptions,
      `the picture "${image.name}" is no longer kept (it waited too long in the queue); attach it again`,
    );
  return startImage(bytes, image.sha256, image.format);
}
