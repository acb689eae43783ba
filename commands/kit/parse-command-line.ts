import type { AttachedImage } from '../../src/core/index.ts';
import type {
  CommandDefinition,
  CommandOption,
  OptionValue,
  OptionValues,
  SubcommandDefinition,
} from './command-definition.ts';
import { type HelpHints, helpText } from './help-text.ts';
import { splitWords, type Word } from './split-words.ts';

/**
 * A typed command line, read against its definition: the option values (types and choices checked;
 * ranges are admission's), a request for help, or what is wrong in words for the user.
 */
export type ParsedCommandLine =
  /** `subcommand`: the verb's name, for a command with subcommands. */
  | { kind: 'invocation'; values: OptionValues; subcommand?: string }
  | { kind: 'help'; text: string }
  | { kind: 'invalid'; message: string };

/**
 * How a platform reads typed text as a value it owns: an `image` option's text as one of its files
 * (Slack: a link to a file shared in Slack), or what to write instead. Unset: `image` options
 * cannot be typed, and the user is told the picture must be attached.
 */
export interface TextReaders extends HelpHints {
  image?: (text: string) => AttachedImage | { problem: string };
}

/** Plain decimal digits, a minus allowed (admission then names the range): no `+5`, `0x10`, `1e3`, `1.0`. */
const INTEGER = /^-?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  false: false,
  no: false,
  off: false,
};

/** A user's word cut short, so a refusal stays short. */
function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A user's value inside a message: quoted and cut short. */
function shown(text: string): string {
  return JSON.stringify(cut(text));
}

/** The option's value from its typed text, or why the text does not fit. */
function convert(
  option: CommandOption,
  raw: string,
  readers: TextReaders,
): { value: OptionValue } | { problem: string } {
  const flag = `--${option.name}`;
  switch (option.type) {
    case 'image': {
      const read = readers.image?.(raw) ?? {
        problem: `${flag} takes a picture attached to the command, not text.`,
      };
      return 'problem' in read ? read : { value: read };
    }
    case 'string': {
      if (!option.choices?.length) return { value: raw };
      const choice = option.choices.find((c) => c.value.toLowerCase() === raw.toLowerCase());
      if (choice) return { value: choice.value };
      const names = option.choices.map((c) => c.value).join(', ');
      return { problem: `${flag} must be one of ${names}; got ${shown(raw)}.` };
    }
    case 'integer':
      return INTEGER.test(raw)
        ? { value: Number(raw) }
        : { problem: `${flag} must be a whole number; got ${shown(raw)}.` };
    case 'number':
      return DECIMAL.test(raw)
        ? { value: Number(raw) }
        : { problem: `${flag} must be a number; got ${shown(raw)}.` };
    case 'boolean': {
      const value = Object.hasOwn(BOOLEAN, raw.toLowerCase()) ? BOOLEAN[raw.toLowerCase()] : undefined;
      return value === undefined
        ? { problem: `${flag} is a switch: write ${flag} on its own (or ${flag}=false).` }
        : { value };
    }
  }
}

/** `--name` or `--name=value` as typed, or undefined for a plain word. */
function optionWord(word: Word): { name: string; inline?: string } | undefined {
  if (word.quoted || !word.text.startsWith('--') || word.text.length === 2) return undefined;
  const equals = word.text.indexOf('=');
  if (equals === -1) return { name: word.text.slice(2).toLowerCase() };
  return { name: word.text.slice(2, equals).toLowerCase(), inline: word.text.slice(equals + 1) };
}

/**
 * Reads `/name free words --option value --option=value --flag` against the definition. Options may
 * come anywhere after the command's name, between free words too; the free words, joined by single
 * spaces, fill the positional option. `--help`, or `help` as the only word, asks for the help text. Option names
 * are matched case-insensitively against the definition's list only, so names every object inherits
 * (`--constructor`) are unknown like any other; so are repeated options. A command with subcommands
 * takes its verb as the first word (`/video-schedule remove 3`), then that verb's words.
 */
export function parseCommandLine(
  definition: CommandDefinition,
  line: string,
  readers: TextReaders = {},
): ParsedCommandLine {
  const command = `/${definition.name}`;
  const helpHint = `Type ${command} --help for the options.`;
  const [head, ...rest] = splitWords(line.trim());
  if (!head || head.quoted || head.text.toLowerCase() !== command)
    return { kind: 'invalid', message: `I only know ${command}. ${helpHint}` };
  const onlyHelp = rest.length === 1 && !rest[0]?.quoted && rest[0]?.text.toLowerCase() === 'help';
  if (onlyHelp || rest.some((w) => optionWord(w)?.name === 'help'))
    return { kind: 'help', text: helpText(definition, readers) };
  if (!definition.subcommands?.length) return parseWords(definition, command, rest, readers);

  const [verb, ...words] = rest;
  const names = definition.subcommands.map((s) => s.name);
  const subcommand = definition.subcommands.find(
    (s) => verb !== undefined && !verb.quoted && s.name === verb.text.toLowerCase(),
  );
  if (!subcommand) {
    const what = verb === undefined ? 'needs' : `has no ${shown(verb.text)}; it takes`;
    return { kind: 'invalid', message: `${command} ${what} one of: ${names.join(', ')}. ${helpHint}` };
  }
  const parsed = parseWords(subcommand, `${command} ${subcommand.name}`, words, readers);
  return parsed.kind === 'invocation' ? { ...parsed, subcommand: subcommand.name } : parsed;
}

/** The option values of the words after a command's (or a verb's) name. */
function parseWords(
  definition: CommandDefinition | SubcommandDefinition,
  command: string,
  rest: readonly Word[],
  readers: TextReaders,
): ParsedCommandLine {
  const helpHint = `Type ${command.split(' ')[0]} --help for the options.`;
  const named = definition.options.filter((o) => o.name !== definition.positional);
  const values: Record<string, OptionValue> = {};
  const free: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as Word;
    const typed = optionWord(word);
    if (!typed) {
      free.push(word.text);
      continue;
    }
    const flag = `--${typed.name}`;
    if (typed.name === definition.positional)
      return {
        kind: 'invalid',
        message: `Write the ${typed.name} as plain words after ${command}, without ${flag}.`,
      };
    const option = named.find((o) => o.name === typed.name);
    if (!option) {
      const list = named.map((o) => `--${o.name}`).join(', ');
      return {
        kind: 'invalid',
        message: `There is no option ${cut(flag)}; the options are ${list}. ${helpHint}`,
      };
    }
    if (Object.hasOwn(values, option.name))
      return { kind: 'invalid', message: `${flag} is given twice; give it once.` };
    let raw = typed.inline;
    if (raw === undefined && option.type !== 'boolean') {
      const next = rest[i + 1];
      if (next === undefined || optionWord(next))
        return { kind: 'invalid', message: `${flag} needs a value. ${helpHint}` };
      raw = next.text;
      i++;
    }
    const converted = raw === undefined ? { value: true } : convert(option, raw, readers);
    if ('problem' in converted) return { kind: 'invalid', message: converted.problem };
    values[option.name] = converted.value;
  }

  if (definition.positional) values[definition.positional] = free.join(' ');
  else if (free.length > 0)
    return { kind: 'invalid', message: `${command} takes no text of its own, only options. ${helpHint}` };
  const missing = named.find((o) => o.required && !Object.hasOwn(values, o.name));
  if (missing) return { kind: 'invalid', message: `--${missing.name} is required. ${helpHint}` };
  return { kind: 'invocation', values };
}
