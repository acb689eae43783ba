import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxVideoModel } from '../../worker/pipeline/index.ts';
import { BUNDLED_DIR, BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { analyseClip } from '../support/frame-analyser.ts';

interface EvalPrompt {
  prompt: string;
  colour: string;
  motion: 'left' | 'right' | 'up' | 'down' | null;
}

const evalSet = JSON.parse(readFileSync(join(BUNDLED_DIR, 'eval-prompts.json'), 'utf8')) as {
  palette: Record<string, number[]>;
  prompts: EvalPrompt[];
};

describe('the bundled model on prompts never seen verbatim in training', () => {
  let model: OnnxVideoModel;
  beforeAll(async () => {
    model = await OnnxVideoModel.load(BUNDLED_MANIFEST);
  });
  afterAll(() => model.dispose());

  it('has at least 24 held-out prompts, most of them with a direction to check', () => {
    expect(evalSet.prompts.length).toBeGreaterThanOrEqual(24);
    expect(evalSet.prompts.filter((p) => p.motion).length).toBeGreaterThanOrEqual(24);
  });

  for (const tier of ['low', 'medium']) {
    it(`draws the asked colour in ≥ 90% and moves the asked way in ≥ 80% of clips (${tier} tier)`, async () => {
      let colourRight = 0;
      let motionRight = 0;
      let motionAsked = 0;
      const misses: string[] = [];
      for (const [i, item] of evalSet.prompts.entries()) {
        const clip = await model.generate({ prompt: item.prompt, seed: 1000 + i, tier });
        const seen = analyseClip(clip.frames, evalSet.palette);
        const colourOk = seen.colour === item.colour;
        const motionOk = item.motion === null || seen.direction === item.motion;
        colourRight += colourOk ? 1 : 0;
        if (item.motion) {
          motionAsked++;
          motionRight += motionOk ? 1 : 0;
        }
        if (!colourOk || !motionOk) misses.push(`"${item.prompt}": saw ${seen.colour} ${seen.direction}`);
      }
      const colourRate = colourRight / evalSet.prompts.length;
      const motionRate = motionRight / motionAsked;
      console.info(
        `${tier}: colour ${(colourRate * 100).toFixed(0)}%, motion ${(motionRate * 100).toFixed(0)}%` +
          (misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''),
      );
      expect(colourRate).toBeGreaterThanOrEqual(0.9);
      expect(motionRate).toBeGreaterThanOrEqual(0.8);
    }, 240_000);
  }
});
