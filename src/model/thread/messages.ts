import type { GeneratedVideo, GenerateProgress, GenerateRequest } from '../video-model.ts';

/** What the worker's main thread asks of the model thread. */
export type ToModelThread =
  | { type: 'load'; manifestPath: string; providers?: string[]; threads?: number; logLevel?: string }
  | {
      type: 'batch';
      items: { id: number; request: GenerateRequest; deadline?: number; queueOrder?: readonly number[] }[];
    }
  | { type: 'abort'; id: number; reason: string }
  | { type: 'dispose' };

/** An error as it crosses the thread boundary: a PipelineError keeps its code. */
export interface ThreadError {
  name: string;
  code?: string;
  message: string;
}

/** What the model thread answers. */
export type FromModelThread =
  | { type: 'loaded'; provider: string }
  | { type: 'load-failed'; error: ThreadError }
  | { type: 'progress'; id: number; progress: GenerateProgress }
  | { type: 'done'; id: number; video: GeneratedVideo }
  | { type: 'failed'; id: number; error: ThreadError }
  | { type: 'disposed' };
