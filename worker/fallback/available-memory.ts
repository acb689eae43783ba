import { freemem } from 'node:os';

/**
 * Memory the next job may use, in MiB: the GPU's free memory where the provider reports it, else
 * the configured budget, else the machine's free RAM.
 */
export function availableMemoryMB(sources: { gpuFreeMB?: number; budgetMB?: number }): number {
  if (sources.gpuFreeMB !== undefined) return sources.gpuFreeMB;
  if (sources.budgetMB !== undefined) return sources.budgetMB;
  return freemem() / (1024 * 1024);
}
