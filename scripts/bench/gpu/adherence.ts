import { join } from 'node:path';
import type { VideoModel } from '../../../src/model/index.ts';
import { adherence, readEvalSet } from '../../../test/support/adherence.ts';
import { round2 } from './model-batches.ts';

/** The prompt-adherence test's measure (colour and motion over the held-out prompts) for `model`. */
export async function measureAdherence(
  model: VideoModel,
  tier: string,
  modelDir: string,
): Promise<{ colourRate: number; motionRate: number; prompts: number }> {
  const evalSet = readEvalSet(join(modelDir, 'eval-prompts.json'));
  const { colourRate, motionRate } = await adherence(model, evalSet, tier);
  return { colourRate: round2(colourRate), motionRate: round2(motionRate), prompts: evalSet.prompts.length };
}
