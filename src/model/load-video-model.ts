import type { Logger } from 'pino';
import { ComfyVideoModel } from './comfyui/comfy-video-model.ts';
import { loadManifest, type ModelManifest } from './manifest.ts';
import { OnnxVideoModel } from './onnx-video-model.ts';
import { OnnxModelProcess } from './process/onnx-model-process.ts';
import type { ProviderName } from './provider-list.ts';
import type { VideoModel } from './video-model.ts';

export interface LoadVideoModelOptions {
  /** ONNX: execution providers in order, CPU threads. */
  providers?: ProviderName[];
  threads?: number;
  /** ONNX: run the model in a child process of its own, so the caller's event loop stays free. */
  ownProcess?: boolean;
  logger?: Logger;
  /** ComfyUI: the server (COMFYUI_URL), overriding the manifest's. */
  comfyUrl?: string;
  ffmpegPath?: string;
}

/** A loaded model with what the worker reports about it. */
export interface LoadedVideoModel {
  model: VideoModel;
  manifest: ModelManifest;
  /** Where it runs: the ONNX provider (cpu, cuda, webgpu), or `comfyui <url>`. */
  provider: string;
}

/** Loads the model model.json describes: the ONNX pipeline, or a ComfyUI server's workflow. */
export async function loadVideoModel(
  path: string,
  options: LoadVideoModelOptions = {},
): Promise<LoadedVideoModel> {
  const { manifest } = await loadManifest(path);
  if (manifest.kind === 'comfyui') {
    const model = await ComfyVideoModel.load(path, {
      ...(options.comfyUrl ? { url: options.comfyUrl } : {}),
      ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    });
    return { model, manifest, provider: `comfyui ${model.serverUrl}` };
  }
  const onnx = {
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const model = options.ownProcess
    ? await OnnxModelProcess.load(path, onnx)
    : await OnnxVideoModel.load(path, onnx);
  return { model, manifest, provider: model.provider };
}
