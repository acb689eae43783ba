/** Tab, line feed, vertical tab, form feed, carriage return, NEL: line breaks become spaces. */
const BREAKS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85]);

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * Bidirectional-text controls: the embeddings and overrides U+202A–U+202E, the isolates
 * U+2066–U+2069, the marks U+200E, U+200F and the Arabic letter mark U+061C. Echoed in a reply, they
 * can reverse how the rest of the line reads ("Trojan Source").
 */
function isBidiControl(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c
  );
}

/**
 * Strips C0 and C1 control characters (tabs and line breaks become spaces first) and bidirectional-
 * text controls, collapses every run of whitespace, Unicode spaces included, to one space, and trims.
 */
export function cleanText(raw: string): string {
  let out = '';
  for (const char of raw) {
    const code = char.codePointAt(0) ?? 0;
    if (BREAKS.has(code)) out += ' ';
    else if (!isControl(code) && !isBidiControl(code)) out += char;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Length in Unicode code points, so an emoji such as 😀 counts as one character. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
