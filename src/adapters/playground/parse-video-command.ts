import type { QualityChoice, VideoOptions } from '../../core/index.ts';

/** A typed `/video` line, split into the prompt and the options as typed (admission checks ranges). */
export type ParsedCommand =
  | { ok: true; prompt: string; options: VideoOptions }
  | { ok: false; message: string };

export const COMMAND_HELP =
  'Type /video followed by what to show, e.g. /video a red ball bouncing on a white background --quality low. ' +
  'Options: --seed N, --quality low|medium|high|auto, --steps N, --guidance X, --negative "text".';

const QUALITIES: readonly QualityChoice[] = ['auto', 'low', 'medium', 'high'];
const NUMERIC = ['seed', 'steps', 'guidance'] as const;
// A list, not an object: `name in {…}` also matched inherited names such as --constructor.
const isNumeric = (name: string): name is (typeof NUMERIC)[number] =>
  (NUMERIC as readonly string[]).includes(name);

/** Words, with "double" or 'single' quotes keeping spaces together. */
function words(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    found.push(match[1] ?? match[2] ?? match[3] ?? '');
  return found;
}

/**
 * Parses `/video <prompt> [--seed N] [--quality Q] [--steps N] [--guidance X] [--negative "text"]`
 * the way the Discord command's options read. Options may come anywhere after the prompt's first
 * word; everything else is the prompt.
 */
export function parseVideoCommand(line: string): ParsedCommand {
  const trimmed = line.trim();
  const [command, ...rest] = words(trimmed);
  if (command?.toLowerCase() !== '/video')
    return { ok: false, message: `I only know /video. ${COMMAND_HELP}` };
  const prompt: string[] = [];
  const options: VideoOptions = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (!word.startsWith('--')) {
      prompt.push(word);
      continue;
    }
    const name = word.slice(2).toLowerCase();
    const value = rest[i + 1];
    if (value === undefined) return { ok: false, message: `--${name} needs a value. ${COMMAND_HELP}` };
    i++;
    if (name === 'quality') {
      const quality = QUALITIES.find((q) => q === value.toLowerCase());
      if (!quality)
        return { ok: false, message: `--quality must be one of ${QUALITIES.join(', ')}; got "${value}".` };
      options.quality = quality;
    } else if (name === 'negative') {
      options.negativePrompt = value;
    } else if (isNumeric(name)) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number))
        return { ok: false, message: `--${name} must be a number; got "${value}".` };
      options[name] = number;
    } else {
      return { ok: false, message: `There is no option --${name}. ${COMMAND_HELP}` };
    }
  }
  return { ok: true, prompt: prompt.join(' '), options };
}
