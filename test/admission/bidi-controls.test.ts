import { describe, expect, it } from 'vitest';
import { cleanText, validateRequest, validationRulesSchema } from '../../src/admission/index.ts';

const BIDI_CONTROLS = [
  ['U+202A left-to-right embedding', '\u202a'],
  ['U+202B right-to-left embedding', '\u202b'],
  ['U+202C pop directional formatting', '\u202c'],
  ['U+202D left-to-right override', '\u202d'],
  ['U+202E right-to-left override', '\u202e'],
  ['U+2066 left-to-right isolate', '\u2066'],
  ['U+2067 right-to-left isolate', '\u2067'],
  ['U+2068 first strong isolate', '\u2068'],
  ['U+2069 pop directional isolate', '\u2069'],
  ['U+200E left-to-right mark', '\u200e'],
  ['U+200F right-to-left mark', '\u200f'],
  ['U+061C Arabic letter mark', '\u061c'],
] as const;

describe('prompt cleaning and bidirectional text', () => {
  it.each(BIDI_CONTROLS)('strips %s', (_name, control) => {
    expect(cleanText(`a red${control} ball`)).toBe('a red ball');
  });

  it('when a prompt hides reversed text behind an override, then what is echoed reads as typed', () => {
    expect(cleanText('a cat \u202eenod s\u2019ti\u202c on a mat')).toBe('a cat enod s\u2019ti on a mat');
  });

  it('when a prompt is only bidi controls and spaces, then it is empty', () => {
    expect(cleanText(' \u2066\u202e \u200f ')).toBe('');
  });

  it('keeps right-to-left letters themselves: only the invisible controls go', () => {
    expect(cleanText('\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627')).toBe(
      '\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
    );
  });

  it('when a request carries bidi controls in its prompt and negative prompt, then admission keeps neither', () => {
    const rules = validationRulesSchema.parse({ minSteps: 1, maxSteps: 50, maxGuidance: 15, tiers: ['low'] });
    const result = validateRequest(
      {
        requestId: 'r1',
        tenant: { platform: 'discord', id: '123456789012345678' },
        user: { id: '223456789012345678' },
        channelId: '323456789012345678',
        prompt: 'a \u202eblue\u202c square',
        options: { negativePrompt: 'blurry\u2067 text\u2069' },
        receivedAt: 0,
        uploadLimitBytes: 10 * 1024 * 1024,
      },
      rules,
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.request.prompt).toBe('a blue square');
    expect(result.request.options.negativePrompt).toBe('blurry text');
  });
});
