import {
  type BatchItem,
  type BatchingVideoModel,
  type GeneratedVideo,
  type GenerateOptions,
  type GenerateRequest,
  ModelWrapper,
  type OnnxVideoModel,
  PipelineError,
  PipelineErrorCode,
} from '../../src/model/index.ts';

/**
 * The real model with every call written down (which jobs shared it); `room` plays a GPU with memory
 * for that many jobs a call: a larger batch fails as the model's shared call does, out of memory.
 */
export class CallLog extends ModelWrapper implements BatchingVideoModel {
  readonly calls: string[][] = [];
  constructor(
    private readonly model: OnnxVideoModel,
    private readonly room = Number.POSITIVE_INFINITY,
  ) {
    super(model);
  }
  batchKey(request: GenerateRequest): string | undefined {
    return this.model.batchKey(request);
  }
  override generate(request: GenerateRequest, options?: GenerateOptions): Promise<GeneratedVideo> {
    return this.generateBatch([{ request, options: options ?? {} }])[0] as Promise<GeneratedVideo>;
  }
  generateBatch(items: readonly BatchItem[]): Promise<GeneratedVideo>[] {
    this.calls.push(items.map((item) => item.request.prompt));
    if (items.length > this.room)
      return items.map(() =>
        Promise.reject(new PipelineError(PipelineErrorCode.OutOfMemory, 'Failed to allocate')),
      );
    return this.model.generateBatch(items);
  }
}
