export { EXECUTION_PROVIDERS, type ExecutionProviderName } from './execution-providers.ts';
export { flowTimesteps, frameCorrelatedNoise, guidedEulerStep } from './flow-sampler.ts';
export {
  DEFAULT_MAX_RUN_MS,
  findTier,
  type LoadedManifest,
  loadManifest,
  type ModelManifest,
  manifestSchema,
  type QualityTier,
} from './manifest.ts';
export { type LoadOptions, OnnxVideoModel } from './onnx-video-model.ts';
export { PipelineError, PipelineErrorCode, toInferenceError } from './pipeline-error.ts';
export { Prng } from './prng.ts';
export { SEED_MAX } from './seed-range.ts';
export type {
  GeneratedVideo,
  GenerateOptions,
  GenerateProgress,
  GenerateRequest,
  VideoModel,
} from './video-model.ts';
export { type TokenizedText, WordTokenizer } from './word-tokenizer.ts';
