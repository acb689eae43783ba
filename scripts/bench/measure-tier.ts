import * as ort from 'onnxruntime-node';
import type { ProviderName } from '../../src/config/index.ts';
import { defaultUpscale, encodeMp4 } from '../../src/media/index.ts';
import { OnnxVideoModel } from '../../src/model/index.ts';
import type { RunTiming, TierResult } from './tier-result.ts';

/** A prompt the shapes model knows every word of, so the text encoder sees a full sentence. */
const PROMPT = 'a red ball moving left on a black background';

export interface MeasureOptions {
  manifestPath: string;
  providers: ProviderName[];
  threads: number;
  tier: string;
  runs: number;
  encode: boolean;
  ffmpegPath?: string;
  maxBytes: number;
}

/**
 * Runs in the child process: loads the model, does one untimed warm-up (seed 0, which also warms
 * ffmpeg and the page cache), then `runs` timed runs with seeds 1…runs, encoding each clip as the bot
 * would (default upscale, upload budget). Peak RSS is read last, so it covers the whole tier.
 */
export async function measureTier(options: MeasureOptions): Promise<TierResult> {
  const loadStart = performance.now();
  const model = await OnnxVideoModel.load(options.manifestPath, {
    providers: options.providers,
    threads: options.threads,
  });
  const loadMs = performance.now() - loadStart;
  try {
    const once = async (seed: number): Promise<RunTiming> => {
      const clip = await model.generate({ prompt: PROMPT, seed, tier: options.tier });
      const { textMs, sampleMs, decodeMs, totalMs } = clip.timings;
      const timing: RunTiming = { seed, textMs, sampleMs, decodeMs, generateMs: totalMs };
      if (!options.encode) return timing;
      const encodeStart = performance.now();
      const encoded = await encodeMp4(clip.frames, {
        upscale: defaultUpscale(clip.frames),
        maxBytes: options.maxBytes,
        ffmpegPath: options.ffmpegPath,
      });
      return { ...timing, encodeMs: performance.now() - encodeStart, bytes: encoded.bytes.byteLength };
    };
    await once(0);
    const runs: RunTiming[] = [];
    for (let seed = 1; seed <= options.runs; seed++) runs.push(await once(seed));
    const tier = model.tiers.find((t) => t.name === options.tier);
    if (!tier) throw new Error(`tier ${options.tier} vanished from the model`);
    return {
      tier,
      provider: model.provider,
      onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
      threads: options.threads,
      loadMs,
      runs,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await model.dispose();
  }
}
