import type { SafeError } from '../../logging/index.ts';
import type { ProviderName } from '../provider-list.ts';
import type { GeneratedVideo, GenerateProgress, GenerateRequest } from '../video-model.ts';

/** What the worker's main thread asks of the model thread. */
export type ToModelThread =
  | { type: 'load'; manifestPath: string; providers?: ProviderName[]; threads?: number; logLevel?: string }
  | {
      type: 'batch';
      items: { id: number; request: GenerateRequest; deadline?: number; queueOrder?: readonly number[] }[];
    }
  | { type: 'abort'; id: number; reason: string }
  | { type: 'dispose' };

/** An error as it crosses the thread boundary (safeError's shape): a PipelineError keeps its code. */
export type ThreadError = SafeError;

/** What the model thread answers. */
export type FromModelThread =
  | { type: 'loaded'; provider: string }
  | { type: 'load-failed'; error: ThreadError }
  | { type: 'progress'; id: number; progress: GenerateProgress }
  | { type: 'done'; id: number; video: GeneratedVideo }
  | { type: 'failed'; id: number; error: ThreadError }
  | { type: 'disposed' };
