/** Tab, line feed, vertical tab, form feed, carriage return, NEL: line breaks become spaces. */
const BREAKS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85]);

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * Strips C0 and C1 control characters (tabs and line breaks become spaces first), collapses every
 * run of whitespace, Unicode spaces included, to one space, and trims.
 */
export function cleanText(raw: string): string {
  let out = '';
  for (const char of raw) {
    const code = char.codePointAt(0) ?? 0;
    if (BREAKS.has(code)) out += ' ';
    else if (!isControl(code)) out += char;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Length in Unicode code points, so an emoji such as 😀 counts as one character. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
