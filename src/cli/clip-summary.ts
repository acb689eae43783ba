import type { EncodedClip } from '../media/index.ts';
import type { GeneratedVideo } from '../model/index.ts';
import { formatBytes, formatMs } from './format-units.ts';

/** What `clipbot generate` prints on stdout once the clip is written: where, and how it was made. */
export function clipSummary(
  path: string,
  clip: GeneratedVideo,
  encoded: EncodedClip,
  encodeMs: number,
): string {
  const { tier, timings: t } = clip;
  const timings = [
    `text ${formatMs(t.textMs)}`,
    `sampling ${formatMs(t.sampleMs)}`,
    `decode ${formatMs(t.decodeMs)}`,
    `encode ${formatMs(encodeMs)}`,
  ].join(', ');
  return [
    `wrote ${path}`,
    `  seed      ${clip.seed}`,
    `  tier      ${tier.name}: ${tier.width}x${tier.height}, ${tier.frames} frames at ${encoded.fps} fps, ${clip.steps} steps, guidance ${clip.guidance}`,
    `  video     ${encoded.width}x${encoded.height} H.264, ${formatMs(encoded.durationMs)}, ${formatBytes(encoded.bytes.byteLength)} (crf ${encoded.crf})`,
    `  provider  ${clip.provider}`,
    `  timings   ${timings}; total ${formatMs(t.totalMs + encodeMs)}`,
    '',
  ].join('\n');
}
