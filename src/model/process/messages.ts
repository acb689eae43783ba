import type { SafeError } from '../../logging/index.ts';
import type { ProviderName } from '../provider-list.ts';
import type { GeneratedVideo, GenerateProgress, GenerateRequest } from '../video-model.ts';

/** What the worker asks of the model process. */
export type ToModelProcess =
  | { type: 'load'; manifestPath: string; providers?: ProviderName[]; threads?: number; logLevel?: string }
  | {
      type: 'batch';
      items: { id: number; request: GenerateRequest; deadline?: number; queueOrder?: readonly number[] }[];
    }
  | { type: 'abort'; id: number; reason: string }
  | { type: 'dispose' };

/** An error as it crosses the process boundary (safeError's shape): a PipelineError keeps its code. */
export type ModelProcessError = SafeError;

/** What the model process answers. */
export type FromModelProcess =
  | { type: 'loaded'; provider: string }
  | { type: 'load-failed'; error: ModelProcessError }
  | { type: 'progress'; id: number; progress: GenerateProgress }
  | { type: 'done'; id: number; video: GeneratedVideo }
  | { type: 'failed'; id: number; error: ModelProcessError }
  | { type: 'disposed' };
