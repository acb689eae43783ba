export type { Fault, RunRecord } from './executor.ts';
export { type DeviceStats, FakeComfyUI, type FakeComfyUIOptions, WAN_MODELS } from './fake-comfyui.ts';
export type { SavedVideo, StartImage } from './node-work.ts';
export type { InputSpec, NodeInfo } from './object-info.ts';
export type { HistoryEntry, QueueItem } from './prompt-queue.ts';
export type { QueuedPrompt } from './routes.ts';
export type { SentMessage } from './sockets.ts';
export type { NodeErrors } from './validate.ts';
export type { ComfyError } from './validate-inputs.ts';
