import { invalidFormBody } from './api-error.ts';

type Json = Record<string, unknown>;

const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
/** Option types 1 (SUB_COMMAND) to 11 (ATTACHMENT). */
const OPTION_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/**
 * Command registration rules that matter (discord-api-docs, "Application Commands"): names,
 * descriptions, at most 25 options per level, options either all subcommands/groups or none, groups
 * holding subcommands only, subcommands holding no subcommands, required options before optional ones.
 */
export function checkCommands(body: unknown): Json[] {
  if (!Array.isArray(body))
    throw invalidFormBody('_', 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if (body.length > 100)
    throw invalidFormBody('_', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  for (const [index, command] of (body as Json[]).entries()) {
    const chatInput = (command.type ?? 1) === 1;
    checkName(`${index}.name`, command.name, chatInput);
    if (!chatInput) continue;
    checkDescription(`${index}.description`, command.description);
    checkLevel(`${index}.options`, optionsOf(`${index}.options`, command.options), 'command');
  }
  return body as Json[];
}

type Level = 'command' | 'group' | 'subcommand';

/** One level of options: a command's own, a group's (subcommands only), a subcommand's (no nesting). */
function checkLevel(field: string, options: Json[], level: Level): void {
  for (const [o, option] of options.entries()) {
    if (typeof option.type !== 'number' || !OPTION_TYPES.includes(option.type)) {
      const choices = OPTION_TYPES.join(', ');
      throw invalidFormBody(`${field}.${o}.type`, 'BASE_TYPE_CHOICES', `Value must be one of (${choices}).`);
    }
  }
  const misplaced = misplacedOption(options, level);
  if (misplaced >= 0) {
    throw invalidFormBody(
      `${field}.${misplaced}`,
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
  }
  let optionalSeen = false;
  for (const [o, option] of options.entries()) {
    const at = `${field}.${o}`;
    checkName(`${at}.name`, option.name, true);
    checkDescription(`${at}.description`, option.description);
    if (isNesting(option.type)) {
      const inner = option.type === SUB_COMMAND_GROUP ? 'group' : 'subcommand';
      checkLevel(`${at}.options`, optionsOf(`${at}.options`, option.options), inner);
    } else if (option.required === true && optionalSeen) {
      throw invalidFormBody(
        field,
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    } else if (option.required !== true) {
      optionalSeen = true;
    }
  }
}

/** The index of the first option that may not stand at this level, or -1. */
function misplacedOption(options: Json[], level: Level): number {
  if (level === 'group') return options.findIndex((option) => option.type !== SUB_COMMAND);
  const nesting = options.findIndex((option) => isNesting(option.type));
  if (level === 'subcommand') return nesting;
  // A command's options are all subcommands and groups, or none; Discord flags the subcommand.
  return options.some((option) => !isNesting(option.type)) ? nesting : -1;
}

function optionsOf(field: string, options: unknown): Json[] {
  if (options === undefined || options === null) return [];
  if (!Array.isArray(options))
    throw invalidFormBody(field, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if (options.length > 25)
    throw invalidFormBody(field, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  return options as Json[];
}

function isNesting(type: unknown): boolean {
  return type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
}

function checkName(field: string, name: unknown, lowercase: boolean): void {
  const valid = typeof name === 'string' && /^[-_'\p{L}\p{N}]{1,32}$/u.test(name);
  if (!valid || (lowercase && name !== name.toLowerCase())) {
    throw invalidFormBody(field, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function checkDescription(field: string, description: unknown): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    throw invalidFormBody(field, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
}
