import { setImmediate as nextTurn } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { createSessions, type ExecutionProviderName, type NamedModel } from './execution-providers.ts';
import { flowTimesteps, frameCorrelatedNoise, guidedEulerStep } from './flow-sampler.ts';
import { type LoadedManifest, loadOnnxManifest, type OnnxManifest } from './manifest.ts';
import { ManifestModel } from './manifest-model.ts';
import { readModelFile } from './model-files.ts';
import { PipelineError, PipelineErrorCode, toInferenceError } from './pipeline-error.ts';
import { Prng } from './prng.ts';
import { resolveRequest } from './resolve-request.ts';
import { toRgbFrames } from './rgb-frames.ts';
import type { GeneratedVideo, GenerateOptions, GenerateRequest, VideoModel } from './video-model.ts';
import { readVocabulary } from './vocabulary.ts';
import { WordTokenizer } from './word-tokenizer.ts';

type Component = 'textEncoder' | 'denoiser' | 'decoder';

export interface LoadOptions {
  providers?: readonly ExecutionProviderName[];
  threads?: number;
  logger?: Logger;
}

/** A text-to-video model exported to ONNX and described by a model.json manifest. */
export class OnnxVideoModel extends ManifestModel<OnnxManifest> implements VideoModel {
  private constructor(
    manifest: OnnxManifest,
    readonly provider: ExecutionProviderName,
    private readonly sessions: Record<Component, ort.InferenceSession>,
    private readonly tokenizer: WordTokenizer,
  ) {
    super(manifest);
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

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    const started = performance.now();
    const req = resolveRequest(this.manifest, request);
    const { tier, steps, guidance } = req;
    const { channels, downscale, frameNoiseCorrelation } = this.manifest.latent;
    const [h, w] = [tier.height / downscale, tier.width / downscale];
    const frameSize = channels * h * w;
    const check = () => checkStop(options);

    check();
    const cond = this.tokenizer.encode(req.prompt);
    const uncond = this.tokenizer.encode(req.negativePrompt);
    const maxLength = this.manifest.tokenizer.maxLength;
    const ids = new BigInt64Array([...cond.ids, ...uncond.ids]);
    const text = await this.run('textEncoder', { input_ids: new ort.Tensor('int64', ids, [2, maxLength]) });
    const textMask = new ort.Tensor('float32', new Float32Array([...cond.mask, ...uncond.mask]), [
      2,
      maxLength,
    ]);
    const textMs = performance.now() - started;

    const x = frameCorrelatedNoise(new Prng(req.seed), tier.frames, frameSize, frameNoiseCorrelation);
    const times = flowTimesteps(steps, this.manifest.scheduler.shift);
    const pair = new Float32Array(2 * x.length);
    const sampleStart = performance.now();
    for (let i = 0; i < steps; i++) {
      // A step's run holds this thread: let what arrived meanwhile (a cancel, a job for the worker,
      // which stops a warm render) be heard now, before the next step starts, not after it.
      await nextTurn();
      check();
      pair.set(x, 0);
      pair.set(x, x.length);
      const t = times[i] as number;
      const velocity = await this.run('denoiser', {
        latents: new ort.Tensor('float32', pair, [2, tier.frames, channels, h, w]),
        timestep: new ort.Tensor('float32', new Float32Array([t, t]), [2]),
        text_embeddings: text,
        text_mask: textMask,
      });
      guidedEulerStep(x, velocity.data as Float32Array, (times[i + 1] as number) - t, guidance);
      const elapsed = performance.now() - sampleStart;
      const perStep = elapsed / (i + 1);
      options.onProgress?.({
        step: i + 1,
        totalSteps: steps,
        elapsedMs: Math.round(performance.now() - started),
        etaMs: Math.round(perStep * (steps - i - 1) + perStep * 0.5),
        tier: tier.name,
      });
    }
    const sampleMs = performance.now() - sampleStart;

    await nextTurn();
    check();
    const decodeStart = performance.now();
    const pixels = await this.run('decoder', {
      latents: new ort.Tensor('float32', x, [tier.frames, channels, h, w]),
    });
    const frames = toRgbFrames(pixels.data as Float32Array, tier.frames, tier.height, tier.width);
    const decodeMs = performance.now() - decodeStart;
    return {
      frames: { width: tier.width, height: tier.height, fps: this.manifest.fps, frames },
      prompt: req.prompt,
      seed: req.seed,
      steps,
      guidance,
      tier,
      unknownWords: cond.unknown,
      provider: this.provider,
      timings: { textMs, sampleMs, decodeMs, totalMs: performance.now() - started },
    };
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
    const c = loaded.manifest.components[role];
    return { role, bytes: await readModelFile(loaded, c.file, role, c.sha256) };
  };
  const [textEncoder, denoiser, decoder] = await Promise.all([
    read('textEncoder'),
    read('denoiser'),
    read('decoder'),
  ]);
  return { textEncoder, denoiser, decoder };
}

function checkStop(options: GenerateOptions): void {
  if (options.signal?.aborted) {
    throw new PipelineError(PipelineErrorCode.Aborted, 'generation cancelled', {
      cause: options.signal.reason,
    });
  }
  if (options.deadline !== undefined && Date.now() > options.deadline) {
    throw new PipelineError(PipelineErrorCode.DeadlineExceeded, 'generation passed its deadline');
  }
}
