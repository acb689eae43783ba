/** Digits and symbols people use for letters; mapped before words are compared. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** Single letters joined by dots, dashes and the like: "b.a.d", "b-a-d", "b_a_d". */
const SPELLED_OUT = /(?<!\p{L})\p{L}(?:[^\p{L}\s]+\p{L}(?!\p{L}))+/gu;

/**
 * The form prompts and blocked terms are compared in: compatibility-decomposed (NFKD) with
 * diacritics and invisible format characters removed, lower case, leetspeak digits read as
 * letters, spelled-out words joined, every other run of non-letters one space.
 * "Ｂ.Ä.D  w0rd!" becomes "bad word".
 */
export function moderationText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .toLowerCase()
    .replace(/[013457@$]/g, (c) => LEET[c] ?? c)
    .replace(SPELLED_OUT, (word) => word.replace(/[^\p{L}]/gu, ''))
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern matching a blocked term as whole words in {@link moderationText} output, letting each
 * letter run be stretched ("baaad" for "bad") but never shortened, so "ass" does not match "as".
 * Returns undefined for a term with no letters.
 */
export function termPattern(term: string): RegExp | undefined {
  const normal = moderationText(term);
  if (normal === '') return undefined;
  const runs = normal.match(/(.)\1*/gsu) ?? [];
  const body = runs
    .map((run) => {
      const char = escapeRegExp([...run][0] ?? '');
      const n = [...run].length;
      return char === ' ' ? ' ' : `${char}{${n},}`;
    })
    .join('');
  return new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, 'u');
}
