import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxVideoModel } from '../../src/model/index.ts';
import { type Adherence, adherence, readEvalSet } from '../support/adherence.ts';
import { BUNDLED_DIR, BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const evalSet = readEvalSet(join(BUNDLED_DIR, 'eval-prompts.json'));

/** Issue #2's targets. */
const COLOUR_TARGET = 0.9;
const MOTION_TARGET = 0.8;

describe('the bundled model on prompts never seen verbatim in training', () => {
  let model: OnnxVideoModel;
  const measured = new Map<string, Promise<Adherence>>();
  const measure = (tier: string) => {
    const known = measured.get(tier);
    if (known) return known;
    const run = measureTier(model, tier);
    measured.set(tier, run);
    return run;
  };
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  it('has at least 24 held-out prompts with a direction to check', () => {
    expect(evalSet.prompts.filter((p) => p.motion).length).toBeGreaterThanOrEqual(24);
  });

  for (const tier of ['low', 'medium']) {
    it(`draws the asked colour in ≥ ${COLOUR_TARGET * 100}% of clips (${tier} tier)`, async () => {
      const { colourRate, misses } = await measure(tier);
      expect(colourRate, misses.join('\n')).toBeGreaterThanOrEqual(COLOUR_TARGET);
    }, 240_000);

    it(`moves the asked way in ≥ ${MOTION_TARGET * 100}% of clips (${tier} tier)`, async () => {
      const { motionRate, misses } = await measure(tier);
      expect(motionRate, misses.join('\n')).toBeGreaterThanOrEqual(MOTION_TARGET);
    }, 240_000);
  }
});

async function measureTier(model: OnnxVideoModel, tier: string): Promise<Adherence> {
  const result = await adherence(model, evalSet, tier);
  console.info(
    `${tier}: colour ${(result.colourRate * 100).toFixed(0)}%, motion ${(result.motionRate * 100).toFixed(0)}% ` +
      `over ${evalSet.prompts.length} held-out prompts`,
  );
  return result;
}
