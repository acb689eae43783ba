import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { type ProviderName, providerListSchema } from '../config/index.ts';
import { UsageError, type UsageTopic } from './usage-error.ts';

/** `clipbot generate`: every option the user gave; absent ones take config and model defaults. */
export interface GenerateArgs {
  command: 'generate';
  prompt: string;
  seed?: number;
  steps?: number;
  guidance?: number;
  tier?: string;
  negative?: string;
  out?: string;
  model?: string;
  providers?: ProviderName[];
  upscale?: number;
  maxBytes?: number;
}

/** `clipbot models`. */
export interface ModelsArgs {
  command: 'models';
  model?: string;
}

/** `clipbot start`: the whole bot on this machine. */
export interface StartArgs {
  command: 'start';
}

/** `clipbot --help`, `clipbot help [command]` or `clipbot <command> --help`. */
export interface HelpArgs {
  command: 'help';
  topic: UsageTopic;
}

export type CliArgs = GenerateArgs | ModelsArgs | StartArgs | HelpArgs;

const digits = z.string().regex(/^\d+$/).transform(Number);
// Syntax and sign only: the model's own limits (max steps, max guidance) are checked by the pipeline,
// which names the range for the model actually loaded.
const VALUES = {
  seed: [digits.pipe(z.number().max(0xffffffff)), 'a whole number from 0 to 4294967295'],
  steps: [digits.pipe(z.number().min(1)), 'a whole number of at least 1'],
  guidance: [
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
    'a number of at least 0, such as 4.5',
  ],
  upscale: [digits.pipe(z.number().min(1).max(64)), 'a whole number from 1 to 64'],
  'max-bytes': [digits.pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)), 'a whole number of bytes'],
} as const;

function numberOption(name: keyof typeof VALUES, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const [schema, expected] = VALUES[name];
  const parsed = schema.safeParse(value.trim());
  if (!parsed.success) throw new UsageError(`--${name} must be ${expected}, got "${value}"`, 'generate');
  return parsed.data;
}

function providersOption(value: string | undefined): ProviderName[] | undefined {
  if (value === undefined) return undefined;
  const parsed = providerListSchema.safeParse(value);
  if (!parsed.success) {
    const why = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new UsageError(`--providers: ${why}`, 'generate');
  }
  return parsed.data;
}

const text = { type: 'string' } as const;
const help = { type: 'boolean', short: 'h' } as const;
const GENERATE_OPTIONS = {
  seed: text,
  steps: text,
  guidance: text,
  tier: text,
  negative: text,
  out: { type: 'string', short: 'o' },
  model: text,
  providers: text,
  upscale: text,
  'max-bytes': text,
  help,
} satisfies ParseArgsConfig['options'];

/** node:util parseArgs, with its errors (unknown option, missing value) turned into UsageErrors. */
function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  topic: UsageTopic,
) {
  try {
    return parseArgs({ args, options, allowPositionals: topic === 'generate', strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node adds a paragraph on '--' to this one; the first sentence is the useful part.
    const unknown = (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    throw new UsageError(unknown ? (message.split('. ')[0] as string).toLowerCase() : message, topic);
  }
}

function parseGenerate(args: string[]): CliArgs {
  const { values: v, positionals } = parseCommand(args, GENERATE_OPTIONS, 'generate');
  if (v.help) return { command: 'help', topic: 'generate' };
  // An unquoted prompt arrives as several words; taking them all is what the user meant.
  const prompt = positionals.join(' ').trim();
  if (prompt === '')
    throw new UsageError('generate needs a prompt, e.g. clipbot generate "a red ball"', 'generate');
  return {
    command: 'generate',
    prompt,
    seed: numberOption('seed', v.seed),
    steps: numberOption('steps', v.steps),
    guidance: numberOption('guidance', v.guidance),
    tier: v.tier,
    negative: v.negative,
    out: v.out,
    model: v.model,
    providers: providersOption(v.providers),
    upscale: numberOption('upscale', v.upscale),
    maxBytes: numberOption('max-bytes', v['max-bytes']),
  };
}

function parseModels(args: string[]): CliArgs {
  const { values } = parseCommand(args, { model: text, help }, 'models');
  if (values.help) return { command: 'help', topic: 'models' };
  return { command: 'models', model: values.model };
}

function parseStart(args: string[]): CliArgs {
  const { values } = parseCommand(args, { help }, 'start');
  if (values.help) return { command: 'help', topic: 'start' };
  return { command: 'start' };
}

/**
 * Turns the words after `clipbot` into one command. Throws UsageError for an unknown command or
 * option and for values that do not parse; it never touches the model or the file system.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  switch (command) {
    case 'generate':
      return parseGenerate(rest);
    case 'models':
      return parseModels(rest);
    case 'start':
      return parseStart(rest);
    case '-h':
    case '--help':
      return { command: 'help', topic: 'main' };
    case 'help':
      if (rest[0] === 'generate' || rest[0] === 'models' || rest[0] === 'start')
        return { command: 'help', topic: rest[0] };
      return { command: 'help', topic: 'main' };
    case undefined:
      throw new UsageError('no command given', 'main', { showUsage: true });
    default:
      throw new UsageError(`unknown command "${command}"; the commands are start, generate and models`);
  }
}
