import * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { createSessions, type ExecutionProviderName, type NamedModel } from './execution-providers.ts';
import { type LoadedManifest, loadOnnxManifest, type OnnxManifest } from './manifest.ts';
import { ManifestModel } from './manifest-model.ts';
import { readModelFile } from './model-files.ts';
import { type BatchContext, runBatch } from './onnx-batch.ts';
import { PipelineError, PipelineErrorCode, toInferenceError } from './pipeline-error.ts';
import { requestBatchKey } from './resolve-request.ts';
import { graphStep } from './sampler-step.ts';
import type {
  BatchItem,
  BatchingVideoModel,
  GeneratedVideo,
  GenerateOptions,
  GenerateRequest,
} from './video-model.ts';
import { readVocabulary } from './vocabulary.ts';
import { WordTokenizer } from './word-tokenizer.ts';

type Component = 'textEncoder' | 'denoiser' | 'decoder';

export interface LoadOptions {
  providers?: readonly ExecutionProviderName[];
  threads?: number;
  logger?: Logger;
}

/** A text-to-video model exported to ONNX and described by a model.json manifest. */
export class OnnxVideoModel extends ManifestModel<OnnxManifest> implements BatchingVideoModel {
  private readonly batchContext: BatchContext;

  private constructor(
    manifest: OnnxManifest,
    readonly provider: ExecutionProviderName,
    private readonly sessions: Record<Component, ort.InferenceSession>,
    tokenizer: WordTokenizer,
  ) {
    super(manifest);
    const maxLength = manifest.tokenizer.maxLength;
    const { channels, downscale } = manifest.latent;
    this.batchContext = {
      manifest,
      tokenizer,
      provider,
      step: graphStep((feeds) => this.run('denoiser', feeds)),
      encodeText: async (ids, rows) =>
        (await this.run('textEncoder', { input_ids: new ort.Tensor('int64', ids, [rows, maxLength]) }))
          .data as Float32Array,
      decode: async (latents, tier) => {
        const size = (latents[0] as Float32Array).length;
        const all = new Float32Array(latents.length * size);
        latents.forEach((latent, j) => {
          all.set(latent, j * size);
        });
        const shape = [
          latents.length * tier.frames,
          channels,
          tier.height / downscale,
          tier.width / downscale,
        ];
        const pixels = (await this.run('decoder', { latents: new ort.Tensor('float32', all, shape) }))
          .data as Float32Array;
        const perJob = pixels.length / latents.length;
        return latents.map((_, j) => pixels.subarray(j * perJob, (j + 1) * perJob));
      },
    };
  }

  /** Loads and checks every file of the manifest, then opens the sessions (cuda → webgpu → cpu). */
  static async load(manifestPath: string, options: LoadOptions = {}): Promise<OnnxVideoModel> {
    const loaded = await loadOnnxManifest(manifestPath);
    const { manifest } = loaded;
    const vocab = await readVocabulary(loaded);
    const models = await readComponents(loaded);
    const { sessions, provider } = await createSessions(models, {
      providers: options.providers ?? ['cpu'],
      threads: options.threads,
      logger: options.logger,
    }).catch((error: unknown) => {
      if (error instanceof PipelineError) throw error;
      throw new PipelineError(
        PipelineErrorCode.ModelFileCorrupt,
        `model ${loaded.path} failed to load: ${error}`,
      );
    });
    return new OnnxVideoModel(manifest, provider, sessions, new WordTokenizer(vocab, manifest.tokenizer));
  }

  generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    return this.generateBatch([{ request, options }])[0] as Promise<GeneratedVideo>;
  }

  batchKey(request: GenerateRequest): string | undefined {
    return requestBatchKey(this.manifest, request);
  }

  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    return runBatch(this.batchContext, items);
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s) => s.release()));
  }

  private async run(component: Component, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
    const session = this.sessions[component];
    try {
      const out = await session.run(feeds);
      const first = out[session.outputNames[0] as string];
      if (!first) throw new Error(`no output from ${component}`);
      return first;
    } catch (error) {
      throw toInferenceError(error, `${component} (${this.provider})`);
    }
  }
}

async function readComponents(loaded: LoadedManifest<OnnxManifest>): Promise<Record<Component, NamedModel>> {
  const read = async (role: Component): Promise<NamedModel> => {
    const { file, sha256, byProvider = {} } = loaded.manifest.components[role];
    const variants = await Promise.all(
      Object.entries(byProvider).map(async ([provider, variant]) => [
        provider,
        await readModelFile(loaded, variant.file, `${role} for ${provider}`, variant.sha256),
      ]),
    );
    return {
      role,
      bytes: await readModelFile(loaded, file, role, sha256),
      byProvider: Object.fromEntries(variants),
    };
  };
  const [textEncoder, denoiser, decoder] = await Promise.all([
    read('textEncoder'),
    read('denoiser'),
    read('decoder'),
  ]);
  return { textEncoder, denoiser, decoder };
}
