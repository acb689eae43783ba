import { spawn } from 'node:child_process';
import { type TierResult, tierResultSchema } from './tier-result.ts';

/**
 * How to start this script again as a child. A bundled .mjs (esbuild, for a machine with node and
 * onnxruntime-node only) runs with plain node; the .ts source runs through tsx's loader, resolved from
 * this package so the child works whatever the cwd.
 */
export function childCommand(script: string): string[] {
  if (/\.[cm]?js$/.test(script)) return [script];
  return ['--import', import.meta.resolve('tsx'), script];
}

/**
 * Runs one tier in a fresh process, so its peak RSS is its own and not the largest tier's so far.
 * The child's stderr (onnxruntime warnings, errors) passes straight through; its stdout carries one
 * JSON line, checked here.
 */
export function spawnTier(script: string, flags: string[]): Promise<TierResult> {
  const child = spawn(process.execPath, [...childCommand(script), ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`the child process exited with ${signal ?? `code ${code}`}; its error is above`));
        return;
      }
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(tierResultSchema.parse(JSON.parse(line)));
      } catch (error) {
        reject(new Error(`the child process printed no result line: ${error}`));
      }
    });
  });
}
