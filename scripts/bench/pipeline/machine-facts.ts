import { loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { hostFacts } from '../host-facts.ts';

/** The facts that make two pipeline bench runs comparable; the load average shows shared CPUs. */
export interface MachineFacts {
  cpu: string;
  cpuCount: number;
  memoryGiB: number;
  platform: string;
  node: string;
  onnxruntime: string;
  provider: string;
  /** CPU inference threads asked for; 0: onnxruntime chooses. */
  threads: number;
  /** 1-minute load average when the bench started and ended. */
  loadAtStart: number;
  loadAtEnd: number;
}

/** This machine now; call {@link loadNow} again at the end for `loadAtEnd`. */
export function machineFacts(provider: string, threads: number, loadAtStart: number): MachineFacts {
  return {
    ...hostFacts(),
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown',
    provider,
    threads,
    loadAtStart,
    loadAtEnd: loadNow(),
  };
}

/** The 1-minute load average. */
export const loadNow = (): number => loadavg()[0] ?? Number.NaN;
