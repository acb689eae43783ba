/** One word of a typed command line. A `quoted` word is always plain text, never an option. */
export interface Word {
  text: string;
  quoted: boolean;
}

// "double", 'single' or “curly” quotes keep spaces together, also right after `--name=`. A quote
// inside a word (cat's) starts nothing, and an unmatched quote is an ordinary character.
const WORD = /(--[^\s="'“]+=)?(?:"([^"]*)"|'([^']*)'|“([^”]*)”)|(\S+)/gu;

/** The words of a line, shell-like but forgiving: quotes group, nothing is ever an error. */
export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  for (const match of line.matchAll(WORD)) {
    const [, assignment, double, single, curly, plain] = match;
    if (plain !== undefined) words.push({ text: plain, quoted: false });
    else {
      const inside = double ?? single ?? curly ?? '';
      words.push(assignment ? { text: assignment + inside, quoted: false } : { text: inside, quoted: true });
    }
  }
  return words;
}
