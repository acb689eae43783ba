import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { type OptionShape, VIDEO_OPTION_SHAPES as VIDEO, valueText } from '../../commands/index.ts';
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
  caption?: string;
  /** A picture file the clip starts from (image to video). */
  image?: string;
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

/** `clipbot status`: the running stack's state. */
export interface StatusArgs {
  command: 'status';
}

/** `clipbot --help`, `clipbot help [command]` or `clipbot <command> --help`. */
export interface HelpArgs {
  command: 'help';
  topic: UsageTopic;
}

export type CliArgs = GenerateArgs | ModelsArgs | StartArgs | StatusArgs | HelpArgs;

/** How a number flag's text is read, and what to say when it does not fit. */
type NumberValue = readonly [z.ZodType<number, string>, string];

const digits = z.string().regex(/^\d+$/).transform(Number);

/**
 * A flag shared with /video, read as its shape says: whole or decimal number, a sign only when the
 * shape allows values below 0, within the bounds every model shares. The model's own limits (max
 * steps, max guidance) are checked by the pipeline, which names the range for the model loaded.
 */
function sharedValue(shape: OptionShape): NumberValue {
  const sign = shape.min === undefined || shape.min < 0 ? '-?' : '';
  const syntax = shape.type === 'integer' ? `^${sign}\\d+$` : `^${sign}\\d+(\\.\\d+)?$`;
  const range = z
    .number()
    .min(shape.min ?? Number.NEGATIVE_INFINITY)
    .max(shape.max ?? Number.POSITIVE_INFINITY);
  return [z.string().regex(new RegExp(syntax)).transform(Number).pipe(range), valueText(shape)];
}

const VALUES: Record<string, NumberValue> = {
  [VIDEO.seed.name]: sharedValue(VIDEO.seed),
  [VIDEO.steps.name]: sharedValue(VIDEO.steps),
  [VIDEO.guidance.name]: sharedValue(VIDEO.guidance),
  upscale: [digits.pipe(z.number().min(1).max(64)), 'a whole number from 1 to 64'],
  'max-bytes': [digits.pipe(z.number().min(1).max(Number.MAX_SAFE_INTEGER)), 'a whole number of bytes'],
};

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const [schema, expected] = VALUES[name] as NumberValue;
  const parsed = schema.safeParse(value.trim());
  if (!parsed.success) throw new UsageError(`--${name} must be ${expected}, got "${value}"`, 'generate');
  return parsed.data;
}

function captionOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const max = VIDEO.caption.maxLength;
  if ([...value].length > max)
    throw new UsageError(`--caption is at most ${max} characters, got ${[...value].length}`, 'generate');
  return value;
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
  [VIDEO.seed.name]: text,
  [VIDEO.steps.name]: text,
  [VIDEO.guidance.name]: text,
  tier: text,
  [VIDEO.negative.name]: text,
  [VIDEO.caption.name]: text,
  [VIDEO.image.name]: text,
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
    seed: numberOption(VIDEO.seed.name, v.seed),
    steps: numberOption(VIDEO.steps.name, v.steps),
    guidance: numberOption(VIDEO.guidance.name, v.guidance),
    tier: v.tier,
    negative: v.negative,
    caption: captionOption(v.caption),
    image: v.image,
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

function parseBare(args: string[], command: 'start' | 'status'): CliArgs {
  const { values } = parseCommand(args, { help }, command);
  if (values.help) return { command: 'help', topic: command };
  return { command };
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
    case 'status':
      return parseBare(rest, command);
    case '-h':
    case '--help':
      return { command: 'help', topic: 'main' };
    case 'help':
      if (rest[0] === 'generate' || rest[0] === 'models' || rest[0] === 'start' || rest[0] === 'status')
        return { command: 'help', topic: rest[0] };
      return { command: 'help', topic: 'main' };
    case undefined:
      throw new UsageError('no command given', 'main', { showUsage: true });
    default:
      throw new UsageError(
        `unknown command "${command}"; the commands are start, status, generate and models`,
      );
  }
}
