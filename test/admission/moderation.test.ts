import { describe, expect, it } from 'vitest';
import {
  BLOCKED_PROMPT_MESSAGE,
  DEFAULT_BLOCKLIST,
  moderationText,
  PromptModerator,
} from '../../src/admission/index.ts';

const moderator = new PromptModerator(['ass', 'bad word', 'kill']);

describe('PromptModerator', () => {
  it('when the blocklists are empty, then every prompt is allowed', () => {
    expect(new PromptModerator([]).check('anything at all', [])).toEqual({ allowed: true });
  });

  it('when the prompt contains a global term in any case, then it is refused', () => {
    expect(moderator.check('a cat that says ASS loudly', []).allowed).toBe(false);
    expect(moderator.check('Kill the lights', []).allowed).toBe(false);
  });

  it('when the prompt contains a blocked phrase, then it is refused, but its words alone are allowed', () => {
    expect(moderator.check('a bad   word on a sign', []).allowed).toBe(false);
    expect(moderator.check('a bad day with a good word', []).allowed).toBe(true);
  });

  it('when a word merely contains a blocked term, then it is allowed', () => {
    for (const prompt of [
      'a class of students',
      'grass in the wind',
      'a passing bass',
      'skill and killer whales',
    ]) {
      expect(moderator.check(prompt, []), prompt).toEqual({ allowed: true });
    }
  });

  it('when a tenant adds a term, then it is refused for that tenant only', () => {
    expect(moderator.check('a purple banana', ['banana']).allowed).toBe(false);
    expect(moderator.check('a purple banana', []).allowed).toBe(true);
    expect(moderator.check('a purple banana', ['apple']).allowed).toBe(true);
  });

  it('when a tenant adds terms, then the global list still applies', () => {
    expect(moderator.check('kill', ['banana']).allowed).toBe(false);
  });

  describe('obfuscation', () => {
    const caught = [
      ['leetspeak digits', 'a 4$$ on a bike'],
      ['leetspeak in a phrase', 'b4d w0rd'],
      ['repeated letters', 'kiiiilllll it'],
      ['diacritics', 'kíll it'],
      ['full-width letters', 'ｋｉｌｌ it'],
      ['letters split by dots', 'k.i.l.l it'],
      ['letters split by dashes', 'a-s-s'],
      ['a zero-width space inside the word', 'ki\u200bll'],
      ['punctuation around it', '"kill!"'],
      ['a tenant term spelled with digits', 'b-4-n-4-n-4'],
    ];
    for (const [how, prompt] of caught) {
      it(`when the term is hidden by ${how}, then it is still refused`, () => {
        expect(moderator.check(prompt as string, ['banana']).allowed).toBe(false);
      });
    }

    it('when letters of an innocent word are doubled, then it is still allowed ("as" is not "ass")', () => {
      expect(moderator.check('as fast as a horse', []).allowed).toBe(true);
    });
  });

  it('when a prompt is refused, then the message is polite and repeats neither prompt nor term', () => {
    const result = moderator.check('Draw kill bad word now', []);
    expect(result).toEqual({ allowed: false, reason: 'blocked-prompt', message: BLOCKED_PROMPT_MESSAGE });
    if (result.allowed) return;
    expect(result.message.toLowerCase()).not.toMatch(/kill|bad|word now|draw/);
    expect(result.message).toBe(
      "I can't make that video: the prompt contains a term that isn't allowed here. Try rephrasing it.",
    );
  });

  it('when a term has no letters, then it is ignored rather than blocking everything', () => {
    expect(new PromptModerator(['!!!', '  ']).check('a red ball', []).allowed).toBe(true);
  });
});

describe('DEFAULT_BLOCKLIST', () => {
  const defaults = new PromptModerator(DEFAULT_BLOCKLIST);

  it('when a prompt uses a default term, then it is refused', () => {
    expect(defaults.check('r4pe scene', []).allowed).toBe(false);
  });

  it('when ordinary prompts share letters with default terms, then they are allowed', () => {
    for (const prompt of ['grapes on a table', 'a therapist office', 'rapeseed fields in spring', 'skys']) {
      expect(defaults.check(prompt, []), prompt).toEqual({ allowed: true });
    }
  });
});

describe('moderationText', () => {
  it('when text mixes case, diacritics, digits and separators, then it reads as plain words', () => {
    expect(moderationText('Ｂ.Ä.D  w0rd!')).toBe('bad word');
  });
});
