import { resolve } from 'node:path';
import { z } from 'zod';
import { decodeVideo } from '../../media/index.ts';
import { type ComfyManifest, loadManifest } from '../manifest.ts';
import { ManifestModel } from '../manifest-model.ts';
import { readModelFile } from '../model-files.ts';
import { PipelineError, PipelineErrorCode } from '../pipeline-error.ts';
import { resolveRequest } from '../resolve-request.ts';
import type { GeneratedVideo, GenerateOptions, GenerateRequest, VideoModel } from '../video-model.ts';
import { ComfyClient, type ComfyHistoryEntry, comfyFileSchema } from './comfy-client.ts';
import { checkTemplate, fillGraph, type Workflow, workflowSchema } from './comfy-graph.ts';
import { runComfyPrompt } from './comfy-run.ts';

export interface ComfyLoadOptions {
  /** The server (COMFYUI_URL); default: the manifest's. */
  url?: string;
  ffmpegPath?: string;
  /** How long a lost connection may take to come back mid-job (default 30 s). */
  reconnectMs?: number;
}

/**
 * A model run by a ComfyUI server (Wan2.2-TI2V-5B through its official workflow): each generation
 * fills the workflow template with the request's values, runs it on the server with progress from
 * the sampler, and decodes the video the server saved into frames, which the worker encodes again
 * like any clip (to the upload limit, with the caption). Free VRAM comes from /system_stats.
 */
export class ComfyVideoModel extends ManifestModel<ComfyManifest> implements VideoModel {
  private constructor(
    manifest: ComfyManifest,
    private readonly workflow: Workflow,
    private readonly client: ComfyClient,
    private readonly options: ComfyLoadOptions,
  ) {
    super(manifest);
  }

  static async load(manifestPath: string, options: ComfyLoadOptions = {}): Promise<ComfyVideoModel> {
    const loaded = await loadManifest(manifestPath);
    const { manifest } = loaded;
    if (manifest.kind !== 'comfyui')
      throw new PipelineError(
        PipelineErrorCode.ManifestInvalid,
        `model manifest ${loaded.path} is not of kind "comfyui"`,
      );
    // The very template loadManifest hashed: its hash is now pinned.
    const bytes = await readModelFile(
      loaded,
      manifest.workflow,
      'workflow template',
      manifest.workflowSha256,
    );
    const workflow = parseWorkflow(bytes, resolve(loaded.dir, manifest.workflow));
    checkTemplate(manifest, workflow, manifest.workflow);
    return new ComfyVideoModel(
      manifest,
      workflow,
      new ComfyClient(options.url ?? manifest.server.url),
      options,
    );
  }

  get serverUrl(): string {
    return this.client.baseUrl;
  }

  /** The server GPU's free VRAM in MiB (undefined when it reports none): the worker picks tiers by it. */
  freeMemoryMB(): Promise<number | undefined> {
    return this.client.freeVramMB();
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GeneratedVideo> {
    const started = performance.now();
    const req = resolveRequest(this.manifest, request);
    const { tier } = req;
    const startImage = request.startImage
      ? await this.client.uploadImage(request.startImage.bytes, request.startImage.fileName)
      : undefined;
    const graph = fillGraph(this.manifest, this.workflow, {
      prompt: req.prompt,
      ...(req.negativePrompt ? { negative: req.negativePrompt } : {}),
      seed: req.seed,
      steps: req.steps,
      guidance: req.guidance,
      width: tier.width,
      height: tier.height,
      length: tier.frames,
      fps: this.manifest.fps,
      ...(startImage !== undefined ? { startImage } : {}),
    });
    let sampleStart: number | undefined;
    const entry = await runComfyPrompt(this.client, graph, {
      deadline: options.deadline ?? Date.now() + this.maxRunMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(this.options.reconnectMs !== undefined ? { reconnectMs: this.options.reconnectMs } : {}),
      onProgress: (value, max) => {
        const now = performance.now();
        sampleStart ??= now;
        const perStep = value > 1 ? (now - sampleStart) / (value - 1) : 0;
        options.onProgress?.({
          step: value,
          totalSteps: max,
          elapsedMs: Math.round(now - started),
          etaMs: Math.round(perStep * (max - value) + perStep),
          tier: tier.name,
        });
      },
    });
    const sampleMs = performance.now() - (sampleStart ?? started);
    const decodeStart = performance.now();
    const bytes = await this.client.view(outputFile(entry, this.manifest.output.node));
    const frames = await decodeVideo(bytes, {
      width: tier.width,
      height: tier.height,
      fps: this.manifest.fps,
      ...(this.options.ffmpegPath ? { ffmpegPath: this.options.ffmpegPath } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      frames,
      prompt: req.prompt,
      seed: req.seed,
      steps: req.steps,
      guidance: req.guidance,
      tier,
      unknownWords: [],
      provider: `comfyui ${this.client.baseUrl}`,
      timings: {
        textMs: 0,
        sampleMs,
        decodeMs: performance.now() - decodeStart,
        totalMs: performance.now() - started,
      },
    };
  }

  async dispose(): Promise<void> {}
}

function parseWorkflow(bytes: Buffer, path: string): Workflow {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new PipelineError(PipelineErrorCode.ManifestInvalid, `workflow ${path} cannot be read as JSON`, {
      cause,
    });
  }
  const parsed = workflowSchema.safeParse(json);
  if (!parsed.success)
    throw new PipelineError(
      PipelineErrorCode.ManifestInvalid,
      `workflow ${path} is not in ComfyUI's API format: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

/** The video the output node saved (SaveVideo lists it under `images` with `animated`). */
function outputFile(entry: ComfyHistoryEntry, node: string) {
  const output = entry.outputs[node] ?? {};
  for (const key of ['images', 'videos', 'gifs']) {
    const files = z.array(comfyFileSchema).safeParse(output[key]);
    if (files.success && files.data[0]) return files.data[0];
  }
  throw new PipelineError(PipelineErrorCode.InferenceFailed, `ComfyUI's output node ${node} saved no video`);
}
