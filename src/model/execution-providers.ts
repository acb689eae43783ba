import * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { PipelineError, PipelineErrorCode } from './pipeline-error.ts';
import { PROVIDER_NAMES, type ProviderName } from './provider-list.ts';

/** The providers config accepts, in the order they are worth trying: one list for both. */
export const EXECUTION_PROVIDERS = PROVIDER_NAMES;
export type ExecutionProviderName = ProviderName;

export interface NamedModel {
  role: string;
  bytes: Uint8Array;
  /** Another graph for some providers (fp16 for a GPU): loaded instead of `bytes` under that provider. */
  byProvider?: Partial<Record<ExecutionProviderName, Uint8Array>>;
}

export interface SessionOptions {
  /** Tried in order; the first under which every component loads wins. */
  providers: readonly ExecutionProviderName[];
  /** Threads for the CPU provider; 0 lets onnxruntime choose (one per physical core). */
  threads?: number;
  logger?: Logger;
}

/**
 * Creates one inference session per model under the first execution provider that loads them all,
 * logging each provider that was tried and why it was passed over.
 */
export async function createSessions<K extends string>(
  models: Record<K, NamedModel>,
  options: SessionOptions,
): Promise<{ sessions: Record<K, ort.InferenceSession>; provider: ExecutionProviderName }> {
  const failures: string[] = [];
  for (const provider of options.providers) {
    const made: ort.InferenceSession[] = [];
    try {
      const sessions = {} as Record<K, ort.InferenceSession>;
      for (const key of Object.keys(models) as K[]) {
        const session = await openSession(models[key], provider, sessionOptions(provider, options));
        made.push(session);
        sessions[key] = session;
      }
      options.logger?.info({ provider }, 'model loaded');
      return { sessions, provider };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      failures.push(`${provider}: ${why}`);
      options.logger?.warn({ provider, err: why }, 'execution provider unavailable, trying the next');
      await Promise.all(made.map((s) => s.release().catch(() => undefined)));
    }
  }
  throw new PipelineError(
    PipelineErrorCode.NoProvider,
    `no execution provider could load the model (tried ${options.providers.join(', ')}):\n  ${failures.join('\n  ')}`,
  );
}

async function openSession(
  model: NamedModel,
  provider: ExecutionProviderName,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model.byProvider?.[provider] ?? model.bytes, options);
  } catch (error) {
    throw new Error(`${model.role}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * WebGPU with Conv in NHWC, said outright (the binding's types document NCHW as the default; 1.30 uses
 * NHWC). NCHW would spare the layout Transposes around each Conv (a low-tier step of the shipped graph:
 * 341 dispatches, 275 in NCHW), but its Conv kernel is 3x slower: on an H200 the step's GPU time went
 * from 4.6 to 6.9 ms and its time from 6.9-7.4 to 11.6-12.4 ms (scripts/gpu/probe-webgpu.ts).
 */
const WEBGPU: ort.InferenceSession.WebGpuExecutionProviderOption = {
  name: 'webgpu',
  preferredLayout: 'NHWC',
};

function sessionOptions(
  provider: ExecutionProviderName,
  options: SessionOptions,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider === 'webgpu' ? WEBGPU : provider],
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
}
