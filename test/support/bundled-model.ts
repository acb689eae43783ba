import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { loadManifest, type ModelManifest, OnnxVideoModel } from '../../src/model/index.ts';

/** The bundled model's manifest, the one every model test runs for real. */
export const BUNDLED_MANIFEST = fileURLToPath(new URL('../../models/shapes-v1/model.json', import.meta.url));
export const BUNDLED_DIR = fileURLToPath(new URL('../../models/shapes-v1/', import.meta.url));

/**
 * The bundled model loaded once for a test file (and its manifest, which the bot reads): loaded
 * before its tests, released after. Read `model` and `manifest` inside tests.
 */
export function useBundledModel(): { readonly model: OnnxVideoModel; readonly manifest: ModelManifest } {
  let model: OnnxVideoModel | undefined;
  let manifest: ModelManifest | undefined;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
    manifest = (await loadManifest(BUNDLED_MANIFEST)).manifest;
  });
  afterAll(() => model?.dispose());
  const loaded = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the bundled model is not loaded yet');
    return value;
  };
  return {
    get model() {
      return loaded(model);
    },
    get manifest() {
      return loaded(manifest);
    },
  };
}
