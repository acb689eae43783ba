// The model process: the ONNX pipeline in a child process of the worker. onnxruntime-node runs a session
// synchronously on the thread that calls it, so on the worker's main thread every step stopped the event
// loop. A worker thread freed the loop but shared the process, and each ffmpeg the worker spawns forks
// that whole process: while the kernel copies its page tables the model's thread stalls on its next page
// fault (a model thread ran about a quarter slower in the worker than alone). A process of its own is
// never forked, and a crash in a native provider ends it, not the worker.
import pino, { type Level } from 'pino';
import { safeError } from '../../logging/index.ts';
import { OnnxVideoModel } from '../onnx-video-model.ts';
import type { GenerateProgress } from '../video-model.ts';
import type { FromModelProcess, ToModelProcess } from './messages.ts';

const send = process.send?.bind(process);
if (!send)
  throw new Error('model-process.ts runs as a child with an IPC channel (OnnxModelProcess starts it)');
const post = (message: FromModelProcess): void => {
  // A parent that has gone cannot be told; the 'disconnect' handler below ends this process.
  if (process.connected) send(message);
};
// The worker decides when the model stops (it finishes or hands back its jobs first): a Ctrl-C that
// reaches the whole process group, or a service manager's SIGTERM to every process, is the worker's to
// act on. When the worker goes, even by kill -9, the IPC channel closes and this process follows.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));

let model: OnnxVideoModel | undefined;
const running = new Map<number, AbortController>();

async function load(message: Extract<ToModelProcess, { type: 'load' }>): Promise<void> {
  try {
    const logger = pino({
      level: (message.logLevel as Level | undefined) ?? 'info',
      base: { process: 'model' },
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

function runBatch(loaded: OnnxVideoModel, message: Extract<ToModelProcess, { type: 'batch' }>): void {
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
        (video) => post({ type: 'done', id, video }),
        (error: unknown) => post({ type: 'failed', id, error: safeError(error) }),
      )
      .finally(() => running.delete(id));
  });
}

process.on('message', (message: ToModelProcess) => {
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
