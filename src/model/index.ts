export { type ComfyLoadOptions, ComfyVideoModel } from './comfyui/comfy-video-model.ts';
export { EXECUTION_PROVIDERS, type ExecutionProviderName } from './execution-providers.ts';
export { flowTimesteps, frameCorrelatedNoise } from './flow-sampler.ts';
export { type LoadedVideoModel, type LoadVideoModelOptions, loadVideoModel } from './load-video-model.ts';
export {
  type ComfyManifest,
  comfyManifestSchema,
  DEFAULT_MAX_RUN_MS,
  findTier,
  type LoadedManifest,
  loadManifest,
  loadOnnxManifest,
  type ModelManifest,
  manifestSchema,
  modelIdentity,
  type OnnxManifest,
  onnxManifestSchema,
  type QualityTier,
  takesStartImage,
} from './manifest.ts';
export { ModelWrapper } from './model-wrapper.ts';
export { type LoadOptions, OnnxVideoModel } from './onnx-video-model.ts';
export { PipelineError, PipelineErrorCode, toInferenceError } from './pipeline-error.ts';
export { Prng } from './prng.ts';
export { type ModelProcessOptions, OnnxModelProcess } from './process/onnx-model-process.ts';
export { SEED_MAX } from './seed-range.ts';
export { type StartImage, startImage } from './start-image.ts';
export {
  type BatchItem,
  type BatchingVideoModel,
  canBatch,
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateProgress,
  type GenerateRequest,
  type VideoModel,
} from './video-model.ts';
export { type TokenizedText, WordTokenizer } from './word-tokenizer.ts';
