import type { CommandDefinition, CommandOption, SubcommandDefinition } from './command-definition.ts';
import { valueText } from './value-text.ts';

/**
 * How a platform's help names what it takes for an `image` option: the placeholder after `--image`
 * (Slack: LINK) and what to give, in words. Unset: FILE and the formats it takes.
 */
export interface HelpHints {
  imageHelp?: { placeholder: string; accepts: string };
}

const PLACEHOLDER = { string: 'TEXT', integer: 'N', number: 'X', boolean: '', image: 'FILE' } as const;

/** `--seed N`, `--private`, or `<prompt>` for the positional option. */
export function optionSyntax(
  option: CommandOption,
  definition: CommandDefinition | SubcommandDefinition,
  hints: HelpHints = {},
): string {
  if (option.name === definition.positional) return `<${option.name}>`;
  const imageHint = option.type === 'image' ? hints.imageHelp?.placeholder : undefined;
  const placeholder = option.choices?.length ? 'CHOICE' : (imageHint ?? PLACEHOLDER[option.type]);
  return placeholder ? `--${option.name} ${placeholder}` : `--${option.name}`;
}

function accepts(option: CommandOption, hints: HelpHints): string {
  if (option.type === 'boolean') return '';
  const choices = option.choices?.map((c) => (c.label && c.label !== c.value ? c.label : c.value));
  const hinted = option.type === 'image' ? hints.imageHelp?.accepts : undefined;
  const what = choices?.length ? `one of: ${choices.join('; ')}` : (hinted ?? valueText(option));
  const fallback = option.default !== undefined ? `, default ${String(option.default)}` : '';
  const required = option.required ? ', required' : '';
  return ` (${what}${fallback}${required})`;
}

/** `/video <prompt> [options]`, `/video-queue`, `/video-schedule add|list|remove …`. */
function synopsis(
  definition: CommandDefinition | SubcommandDefinition,
  name = `/${definition.name}`,
): string {
  if ('subcommands' in definition && definition.subcommands?.length)
    return `${name} ${definition.subcommands.map((s) => s.name).join('|')} …`;
  const positional = definition.options.find((o) => o.name === definition.positional);
  const named = definition.options.some((o) => o.name !== definition.positional);
  return `${name}${positional ? ` <${positional.name}>` : ''}${named ? ' [options]' : ''}`;
}

/** One verb's lines: `/video-schedule add <prompt> [options]: …`, then its options. */
function subcommandLines(command: CommandDefinition, verb: SubcommandDefinition, hints: HelpHints): string[] {
  const head = synopsis(verb, `/${command.name} ${verb.name}`);
  const lines = [`${head}: ${verb.description}.`];
  for (const option of verb.options)
    lines.push(`  ${optionSyntax(option, verb, hints)}: ${option.description}${accepts(option, hints)}.`);
  return lines;
}

/**
 * The help for a text command, from its definition: synopsis, example, one line per option with its
 * description and what it accepts, and how to write values. Each line ends a sentence, so the text
 * still reads where line breaks are not shown.
 */
export function helpText(definition: CommandDefinition, hints: HelpHints = {}): string {
  const lines = [`${synopsis(definition)}: ${definition.description}.`];
  if (definition.example) lines.push(`Example: ${definition.example}`);
  for (const option of definition.options)
    lines.push(`${optionSyntax(option, definition, hints)}: ${option.description}${accepts(option, hints)}.`);
  for (const verb of definition.subcommands ?? []) lines.push(...subcommandLines(definition, verb, hints));
  const named = [definition, ...(definition.subcommands ?? [])].some((d) =>
    d.options.some((o) => o.name !== d.positional),
  );
  if (named)
    lines.push('Write a value as --name value or --name=value, and quote text with spaces: "two words".');
  return lines.join('\n');
}

/** What `help` answers: one line per command (synopsis and description), and how to learn more. */
export function commandListText(definitions: readonly CommandDefinition[]): string {
  const lines = ['Commands:'];
  for (const definition of definitions) lines.push(`${synopsis(definition)}: ${definition.description}.`);
  lines.push('Type a command with --help for its options, e.g. /video --help.');
  return lines.join('\n');
}
