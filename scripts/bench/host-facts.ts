import { cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on: what makes two runs' numbers comparable. */
export function hostFacts() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
}
