import { beforeAll, describe, expect, it } from 'vitest';
import { modelFacts, parseCommandLine, videoCommand, videoRequest } from '../../commands/index.ts';
import { type ValidationRules, validateRequest } from '../../src/admission/index.ts';
import { validationRulesFor } from '../../src/bot/model-rules.ts';
import type { VideoOptions, VideoRequest } from '../../src/core/index.ts';
import { loadManifest, type ModelManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const context = {
  requestId: 'r1',
  tenant: { platform: 'playground', id: 'playground' },
  user: { id: 'tab-1' },
  channelId: 'playground',
  receivedAt: 0,
  uploadLimitBytes: 10 * 1024 * 1024,
} as const satisfies Omit<VideoRequest, 'prompt' | 'options'>;

let manifest: ModelManifest;
let rules: ValidationRules;
beforeAll(async () => {
  manifest = (await loadManifest(BUNDLED_MANIFEST)).manifest;
  rules = validationRulesFor(manifest);
});

/** Admission's verdict on a request with these options, as its message ('' when accepted). */
function verdict(options: VideoOptions): string {
  const result = validateRequest({ ...context, prompt: 'a red ball', options }, rules);
  return result.ok ? '' : result.message;
}

describe("admission's rules for the bundled model, built from its manifest through the /video definition", () => {
  it("when steps are one above the manifest's maximum, then admission refuses them with the range", () => {
    const { minSteps, maxSteps } = manifest.limits;
    expect(verdict({ steps: maxSteps + 1 })).toBe(
      `steps must be a whole number from ${minSteps} to ${maxSteps}; you gave ${maxSteps + 1}.`,
    );
    expect(verdict({ steps: maxSteps })).toBe('');
    expect(verdict({ steps: minSteps })).toBe('');
  });

  it("offers exactly the manifest's tiers as qualities, besides auto", () => {
    const tiers = manifest.tiers.map((t) => t.name);
    expect(rules.tiers).toEqual(tiers);
    for (const quality of ['auto', ...tiers]) expect(verdict({ quality })).toBe('');
    expect(verdict({ quality: 'ultra' })).toBe(
      `quality ultra is not offered by this model; choose one of: ${['auto', ...tiers].join(', ')}.`,
    );
  });

  it("takes the manifest's strongest guidance as the most a request may ask", () => {
    const { maxGuidance } = manifest.limits;
    expect(verdict({ guidance: maxGuidance })).toBe('');
    expect(verdict({ guidance: maxGuidance + 0.01 })).toBe(
      `guidance must be a number from 0 to ${maxGuidance}; you gave ${maxGuidance + 0.01}.`,
    );
  });

  it('takes the prompt and negative prompt lengths from the definition', () => {
    expect(rules).toMatchObject({ minPromptLength: 3, maxPromptLength: 500, maxNegativeLength: 200 });
  });

  it('refuses a typed line whose numbers parse but are out of range, in admission words', () => {
    const definition = videoCommand.define(modelFacts(manifest));
    const parsed = parseCommandLine(
      definition,
      `/video a red ball --steps ${manifest.limits.maxSteps + 1} --seed=-1`,
    );
    if (parsed.kind !== 'invocation') throw new Error(`expected values, got ${JSON.stringify(parsed)}`);
    const result = validateRequest(videoRequest({ values: parsed.values, context }), rules);
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(['seed', 'steps']);
  });
});
