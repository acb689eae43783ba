import { z } from 'zod';
import type { LoadedManifest, OnnxManifest } from './manifest.ts';
import { readModelFile } from './model-files.ts';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';

const vocabSchema = z.array(z.string()).min(2);

/** The tokenizer's word list (index = token id), checked against the manifest. */
export async function readVocabulary(loaded: LoadedManifest<OnnxManifest>): Promise<string[]> {
  const { vocab, sha256, padId, bosId } = loaded.manifest.tokenizer;
  const bytes = await readModelFile(loaded, vocab, 'tokenizer vocabulary', sha256);
  let parsed: z.ZodSafeParseResult<string[]>;
  try {
    parsed = vocabSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch (cause) {
    throw new PipelineError(PipelineErrorCode.ModelFileCorrupt, `vocabulary ${vocab} is not JSON`, { cause });
  }
  if (!parsed.success || Math.max(padId, bosId) >= parsed.data.length) {
    throw new PipelineError(
      PipelineErrorCode.ModelFileCorrupt,
      `vocabulary ${vocab} (named in ${loaded.path}) must be a JSON array of words containing ids ${padId} and ${bosId}`,
    );
  }
  return parsed.data;
}
