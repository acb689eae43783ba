import { fileURLToPath } from 'node:url';

/** The bundled model's manifest, the one every model test runs for real. */
export const BUNDLED_MANIFEST = fileURLToPath(new URL('../../models/shapes-v1/model.json', import.meta.url));
export const BUNDLED_DIR = fileURLToPath(new URL('../../models/shapes-v1/', import.meta.url));
