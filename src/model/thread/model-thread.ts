// The model thread: the ONNX pipeline off the worker's main thread. onnxruntime-node runs a session
// synchronously on the thread that calls it, so on the main thread every denoiser step stopped the
// event loop (on an H200 it was busy 99–100% of a batched run): ffmpeg, Redis and replies waited for
// the GPU. Here the model runs alone and the main thread keeps encoding and delivering.
import { parentPort } from 'node:worker_threads';
import pino, { type Level } from 'pino';
import { safeError } from '../../logging/index.ts';
import { OnnxVideoModel } from '../onnx-video-model.ts';
import type { GenerateProgress } from '../video-model.ts';
import type { FromModelThread, ToModelThread } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('model-thread.ts runs as a worker thread (ThreadedOnnxModel starts it)');
const post = (message: FromModelThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let model: OnnxVideoModel | undefined;
const running = new Map<number, AbortController>();

async function load(message: Extract<ToModelThread, { type: 'load' }>): Promise<void> {
  try {
    const logger = pino({
      level: (message.logLevel as Level | undefined) ?? 'info',
      base: { thread: 'model' },
    });
    model = await OnnxVideoModel.load(message.manifestPath, {
      ...(message.providers ? { providers: message.providers } : {}),
      ...(message.threads !== undefined ? { threads: message.threads } : {}),
      logger,
    });
    post({ type: 'loaded', provider: model.provider });
  } catch (error) {
    post({ type: 'load-failed', error: safeError(error) });
  }
}

function runBatch(loaded: OnnxVideoModel, message: Extract<ToModelThread, { type: 'batch' }>): void {
  const items = message.items.map((item) => {
    const controller = new AbortController();
    running.set(item.id, controller);
    return {
      request: item.request,
      options: {
        signal: controller.signal,
        ...(item.deadline !== undefined ? { deadline: item.deadline } : {}),
        ...(item.queueOrder ? { queueOrder: item.queueOrder } : {}),
        onProgress: (progress: GenerateProgress) => post({ type: 'progress', id: item.id, progress }),
      },
    };
  });
  loaded.generateBatch(items).forEach((promise, i) => {
    const id = message.items[i]?.id as number;
    promise
      .then(
        // The frames move to the main thread rather than being copied (each buffer once).
        (video) =>
          post({ type: 'done', id, video }, [
            ...new Set(video.frames.frames.map((f) => f.buffer as ArrayBuffer)),
          ]),
        (error: unknown) => post({ type: 'failed', id, error: safeError(error) }),
      )
      .finally(() => running.delete(id));
  });
}

port.on('message', (message: ToModelThread) => {
  switch (message.type) {
    case 'load':
      void load(message);
      return;
    case 'batch':
      if (!model) {
        for (const item of message.items)
          post({ type: 'failed', id: item.id, error: { name: 'Error', message: 'the model is not loaded' } });
        return;
      }
      runBatch(model, message);
      return;
    case 'abort':
      running.get(message.id)?.abort(message.reason);
      return;
    case 'dispose':
      void (model?.dispose() ?? Promise.resolve()).finally(() => post({ type: 'disposed' }));
      return;
  }
});
