import { describe, expect, it } from 'vitest';
import {
  neutraliseMentions,
  type ValidationFailure,
  type ValidationRules,
  validateRequest,
  validationRulesSchema,
} from '../../src/admission/index.ts';
import type { VideoOptions, VideoRequest } from '../../src/core/index.ts';

const rules: ValidationRules = validationRulesSchema.parse({
  minSteps: 1,
  maxSteps: 50,
  maxGuidance: 15,
  tiers: ['low', 'medium'],
});

function request(prompt: string, options: VideoOptions = {}): VideoRequest {
  return {
    requestId: 'r1',
    tenant: { platform: 'discord', id: '123456789012345678' },
    user: { id: '223456789012345678' },
    channelId: '323456789012345678',
    prompt,
    options,
    receivedAt: 0,
    uploadLimitBytes: 10 * 1024 * 1024,
  };
}

function accepted(prompt: string, options: VideoOptions = {}) {
  const result = validateRequest(request(prompt, options), rules);
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.message}`);
  return result.request;
}

function refused(prompt: string, options: VideoOptions = {}): ValidationFailure {
  const result = validateRequest(request(prompt, options), rules);
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('validateRequest: prompt length', () => {
  it('when the prompt is 2 characters, then it is refused as too short', () => {
    const failure = refused('ab');
    expect(failure.reason).toBe('invalid-input');
    expect(failure.message).toBe('Your prompt is too short: it needs at least 3 characters.');
  });

  it('when the prompt is 3 characters, then it is accepted', () => {
    expect(accepted('abc').prompt).toBe('abc');
  });

  it('when the prompt is 500 characters, then it is accepted', () => {
    expect(accepted('a'.repeat(500)).prompt).toHaveLength(500);
  });

  it('when the prompt is 501 characters, then the refusal gives its length and the limit', () => {
    expect(refused('a'.repeat(501)).message).toBe(
      'Your prompt is too long: 501 characters, the limit is 500.',
    );
  });

  it('when the prompt is 500 emoji, then each counts as one character and it is accepted', () => {
    expect(accepted('😀'.repeat(500)).prompt).toBe('😀'.repeat(500));
    expect(refused('😀'.repeat(501)).message).toContain('501 characters');
  });

  it('when two emoji and padding make only 2 characters, then it is refused as too short', () => {
    expect(refused('  😀😀\n').message).toContain('too short');
  });

  it('when the prompt is padded with whitespace, then the padding does not count', () => {
    expect(refused(`  ab \n\t `).problems[0]?.field).toBe('prompt');
    expect(accepted(`   ${'a'.repeat(500)}   `).prompt).toHaveLength(500);
  });
});

describe('validateRequest: cleaning', () => {
  it('when the prompt has control characters, then they are stripped and line breaks become spaces', () => {
    const prompt = accepted('a\u0000red\u0007 ball\u0085bounces\r\non\u009b\tgrass\u007f').prompt;
    expect(prompt).toBe('ared ball bounces on grass');
  });

  it('when the prompt has runs of whitespace, then they collapse to one space and the ends are trimmed', () => {
    expect(accepted(' \u00a0a  red\u2003\u2028ball   ').prompt).toBe('a red ball');
  });

  it('when the prompt is only control characters, then it is refused as too short', () => {
    expect(refused('\u0001\u0002\u0003\u0004').message).toContain('too short');
  });
});

describe('validateRequest: mentions can never ping anyone', () => {
  const cases: [string, string][] = [
    ['@everyone', '@\u200beveryone'],
    ['@here', '@\u200bhere'],
    ['@EveryOne', '@\u200bEveryOne'],
    ['<@123456789012345678>', '@\u200buser'],
    ['<@!123456789012345678>', '@\u200buser'],
    ['<@&123456789012345678>', '@\u200brole'],
    ['<#123456789012345678>', '#channel'],
    ['<!channel>', 'channel'],
    ['<!here>', 'here'],
    ['<!here|here>', 'here'],
    ['<!everyone>', 'everyone'],
    ['<@U123ABC>', '@\u200buser'],
    ['<@U123ABC|bob>', '@\u200bbob'],
    ['<!subteam^S123|@team>', '@\u200bteam'],
    ['<!subteam^S123>', '@\u200bgroup'],
    ['<#C123|general>', '#general'],
    ['<#C123>', '#channel'],
    ['@channel', '@\u200bchannel'],
    ['<!date^1392734382^{date}|Feb 18>', 'Feb 18'],
  ];
  for (const [mention, plain] of cases) {
    it(`when the prompt contains ${mention}, then it becomes plain text`, () => {
      expect(accepted(`a cat ${mention} dancing`).prompt).toBe(`a cat ${plain} dancing`);
    });
  }

  it('when mentions are nested to rebuild one after a pass, then none survives', () => {
    const out = neutraliseMentions('<<@123>@123> <<!here>!here> <!<!channel>channel> @@everyone');
    expect(out).not.toMatch(/<[@#!]/);
    expect(out).not.toMatch(/@(everyone|here|channel|user)/i);
  });

  it('when the negative prompt has mentions, then they are neutralised too', () => {
    const options = accepted('a red ball', { negativePrompt: '@here <@123> <!channel>' }).options;
    expect(options.negativePrompt).toBe('@\u200bhere @\u200buser channel');
  });
});

describe('validateRequest: options', () => {
  it('when every option is within range, then they are kept and the rest normalised', () => {
    const { options } = accepted('a red ball', {
      seed: 4294967295,
      steps: 50,
      guidance: 0,
      quality: 'medium',
      negativePrompt: '  blurry\n\nfaces ',
    });
    expect(options).toEqual({
      seed: 4294967295,
      steps: 50,
      guidance: 0,
      quality: 'medium',
      negativePrompt: 'blurry faces',
      private: false,
    });
  });

  it('when no option is given, then quality is auto, private is false and the rest stay unset', () => {
    expect(accepted('a red ball').options).toEqual({ quality: 'auto', private: false });
  });

  it('when the negative prompt is only whitespace, then it is dropped', () => {
    expect(accepted('a red ball', { negativePrompt: ' \n ' }).options.negativePrompt).toBeUndefined();
  });

  it('when several options are out of range, then every problem is listed with its allowed range', () => {
    const failure = refused('ab', {
      seed: -1,
      steps: 51,
      guidance: Number.NaN,
      quality: '@everyone',
      negativePrompt: 'x'.repeat(201),
    });
    expect(failure.problems.map((p) => p.field)).toEqual([
      'prompt',
      'seed',
      'steps',
      'guidance',
      'quality',
      'negativePrompt',
    ]);
    expect(failure.problems.map((p) => p.message)).toEqual([
      'Your prompt is too short: it needs at least 3 characters.',
      'seed must be a whole number from 0 to 4294967295; you gave -1.',
      'steps must be a whole number from 1 to 50; you gave 51.',
      'guidance must be a number from 0 to 15; you gave NaN.',
      'quality must be one of: auto, low, medium.',
      'Your negative prompt is too long: 201 characters, the limit is 200.',
    ]);
    expect(failure.message.split('\n')).toHaveLength(7);
    expect(failure.message).toMatch(/^I can't make that video yet:\n• Your prompt is too short/);
  });

  it('when seed is 4294967296 or a fraction, then it is refused', () => {
    expect(refused('a red ball', { seed: 4294967296 }).problems[0]?.field).toBe('seed');
    expect(refused('a red ball', { seed: 1.5 }).problems[0]?.field).toBe('seed');
  });

  it('when steps are below the minimum or not whole, then they are refused', () => {
    expect(refused('a red ball', { steps: 0 }).message).toBe(
      'steps must be a whole number from 1 to 50; you gave 0.',
    );
    expect(refused('a red ball', { steps: 2.5 }).problems).toHaveLength(1);
  });

  it('when guidance is negative, infinite or above the maximum, then it is refused', () => {
    for (const guidance of [-0.1, Number.POSITIVE_INFINITY, 15.01]) {
      expect(refused('a red ball', { guidance }).problems[0]?.field).toBe('guidance');
    }
    expect(accepted('a red ball', { guidance: 15 }).options.guidance).toBe(15);
  });

  it('when the quality asked for is a tier the model lacks, then the refusal names the ones it has', () => {
    expect(refused('a red ball', { quality: 'high' }).message).toBe(
      'quality high is not offered by this model; choose one of: auto, low, medium.',
    );
    expect(refused('a red ball', { quality: 'ultra' }).message).toBe(
      'quality ultra is not offered by this model; choose one of: auto, low, medium.',
    );
    expect(accepted('a red ball', { quality: 'auto' }).options.quality).toBe('auto');
  });

  it('when an option has the wrong type, then the refusal does not echo it', () => {
    const failure = refused('a red ball', { steps: '@everyone' as unknown as number });
    expect(failure.message).toBe(
      'steps must be a whole number from 1 to 50; you gave something that is not a number.',
    );
  });

  it('when the negative prompt is exactly 200 characters, then it is accepted', () => {
    expect(accepted('a red ball', { negativePrompt: 'x'.repeat(200) }).options.negativePrompt).toHaveLength(
      200,
    );
  });
});

describe('validationRulesSchema', () => {
  it('when prompt limits are omitted, then they default to 3, 500 and 200', () => {
    expect(rules).toMatchObject({ minPromptLength: 3, maxPromptLength: 500, maxNegativeLength: 200 });
  });

  it('when minSteps exceeds maxSteps, then the rules do not parse', () => {
    const bad = { minSteps: 9, maxSteps: 2, maxGuidance: 1, tiers: ['low'] };
    expect(validationRulesSchema.safeParse(bad).success).toBe(false);
  });
});
