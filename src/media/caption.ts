import type { Size } from './output-size.ts';

/** Debian's fonts-dejavu-core: broad Unicode coverage (Latin, Greek, Cyrillic, symbols). */
export const CAPTION_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
/** The most characters a caption may have. */
export const MAX_CAPTION_LENGTH = 120;

const MAX_LINES = 3;
/** Font size as a share of the picture's height: the first try, and the smallest allowed. */
const LARGEST = 1 / 10;
const SMALLEST = 1 / 28;
/** DejaVu Sans's average advance is about 0.6 em; a little more leaves a margin for wide letters. */
const CHAR_WIDTH_EM = 0.62;
const TEXT_WIDTH = 0.9;

/** Where a caption's lines break, and its font size as a share of the picture's height. */
export interface CaptionLayout {
  lines: string[];
  heightShare: number;
}

/**
 * Lays a caption out for pictures of `size`'s aspect: whole words per line where they fit (a word
 * longer than a line is broken), at most three lines, the font as large as that allows, shrinking
 * down to 1/28 of the height; what still does not fit ends in "…". The result holds for every size
 * of the same aspect, so the budget ladder's smaller attempts keep the same lines.
 */
export function layoutCaption(text: string, size: Size): CaptionLayout {
  const words = text.trim().split(/\s+/).filter(Boolean);
  for (let share = LARGEST; ; share *= 0.9) {
    const perLine = Math.max(
      4,
      Math.floor((TEXT_WIDTH * size.width) / (CHAR_WIDTH_EM * share * size.height)),
    );
    const lines = wrap(words, perLine);
    if (lines.length <= MAX_LINES) return { lines, heightShare: share };
    if (share * 0.9 < SMALLEST) {
      const kept = lines.slice(0, MAX_LINES);
      const last = kept[MAX_LINES - 1] as string;
      kept[MAX_LINES - 1] = `${[...last].slice(0, perLine - 1).join('')}…`;
      return { lines: kept, heightShare: share };
    }
  }
}

function wrap(words: readonly string[], perLine: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    for (const piece of chunks(word, perLine)) {
      if (line === '') line = piece;
      else if ([...line].length + 1 + [...piece].length <= perLine) line = `${line} ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A word in pieces of at most `perLine` characters (code points, so no emoji is cut in two). */
function chunks(word: string, perLine: number): string[] {
  const chars = [...word];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += perLine) pieces.push(chars.slice(i, i + perLine).join(''));
  return pieces;
}

/** A path as a quoted value inside an ffmpeg filter graph; paths with quotes or backslashes are refused. */
function quotedPath(path: string): string {
  if (/['\\\n]/.test(path)) throw new Error(`unusable path for an ffmpeg filter: ${path}`);
  return `'${path}'`;
}

/**
 * The drawtext filter that burns the caption in `textFile` (its lines, as laid out) into the bottom of
 * a `size` picture: white on a dark outline, centred. The caption's text never enters the filter
 * graph: drawtext reads it from the file, with expansion off, so quotes, colons, backslashes,
 * `%{…}` and newlines are only ever text.
 */
export function captionFilter(
  textFile: string,
  layout: CaptionLayout,
  size: Size,
  fontFile = CAPTION_FONT,
): string {
  const fontSize = Math.max(8, Math.round(layout.heightShare * size.height));
  const border = Math.max(1, Math.round(fontSize / 10));
  const margin = Math.round(size.height / 24);
  return [
    `drawtext=fontfile=${quotedPath(fontFile)}`,
    `textfile=${quotedPath(textFile)}`,
    'expansion=none',
    `fontsize=${fontSize}`,
    'fontcolor=white',
    `borderw=${border}`,
    'bordercolor=black@0.85',
    `line_spacing=${Math.round(fontSize / 5)}`,
    'x=(w-text_w)/2',
    `y=h-text_h-${margin}`,
  ].join(':');
}
