import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/cli/index.ts';

/** The UsageError parseCliArgs throws for this command line. */
function usageError(argv: string[]): UsageError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseCliArgs for generate', () => {
  it('reads the prompt and every option, numbers as numbers', () => {
    const args = parseCliArgs([
      'generate',
      'a red ball moving left',
      '--seed',
      '4294967295',
      '--steps',
      '8',
      '--guidance',
      '4.5',
      '--tier',
      'low',
      '--negative',
      'blue',
      '-o',
      'out/x.mp4',
      '--model',
      'm/model.json',
      '--providers',
      'webgpu, CPU',
      '--upscale',
      '3',
      '--max-bytes=8000000',
    ]);
    expect(args).toEqual({
      command: 'generate',
      prompt: 'a red ball moving left',
      seed: 4294967295,
      steps: 8,
      guidance: 4.5,
      tier: 'low',
      negative: 'blue',
      out: 'out/x.mp4',
      model: 'm/model.json',
      providers: ['webgpu', 'cpu'],
      upscale: 3,
      maxBytes: 8000000,
    });
  });

  it('leaves options the user did not give undefined, so config and model defaults apply', () => {
    expect(parseCliArgs(['generate', 'a ball'])).toEqual({ command: 'generate', prompt: 'a ball' });
  });

  it('reads a caption as typed, and refuses one over 100 characters', () => {
    expect(parseCliArgs(['generate', 'a ball', '--caption', 'Happy birthday, "Sam": 100%'])).toMatchObject({
      caption: 'Happy birthday, "Sam": 100%',
    });
    expect(usageError(['generate', 'a ball', '--caption', 'x'.repeat(101)]).message).toMatch(
      /--caption is at most 100 characters, got 101/,
    );
  });

  it('joins an unquoted prompt given as several words', () => {
    expect(parseCliArgs(['generate', 'a', 'red', 'ball', '--seed', '1'])).toMatchObject({
      prompt: 'a red ball',
      seed: 1,
    });
  });

  it('passes any tier name through: the pipeline knows the model and names its tiers', () => {
    expect(parseCliArgs(['generate', 'a ball', '--tier', 'ultra'])).toMatchObject({ tier: 'ultra' });
  });

  it.each([
    ['--seed', 'abc', /--seed must be a whole number from 0 to 4294967295, got "abc"/],
    ['--seed', '1.5', /--seed must be a whole number/],
    ['--seed', '4294967296', /--seed must be a whole number from 0 to 4294967295/],
    ['--seed', '1e3', /--seed must be a whole number/],
    ['--seed', '0x10', /--seed must be a whole number from 0 to 4294967295, got "0x10"/],
    ['--seed', '1.0', /--seed must be a whole number/],
    ['--seed', '+5', /--seed must be a whole number/],
    ['--steps', '0', /--steps must be a whole number of at least 1, got "0"/],
    ['--steps', 'ten', /--steps must be a whole number/],
    ['--guidance', 'strong', /--guidance must be a number of at least 0/],
    ['--guidance', 'Infinity', /--guidance must be a number/],
    ['--upscale', '0', /--upscale must be a whole number from 1 to 64/],
    ['--upscale', '65', /--upscale must be a whole number from 1 to 64/],
    ['--max-bytes', '10MB', /--max-bytes must be a whole number of bytes, got "10MB"/],
    ['--providers', 'tpu', /--providers: unknown provider "tpu"; use cuda, webgpu, cpu/],
    ['--providers', ',', /--providers: name at least one provider/],
  ])('when %s is %j, then it is a usage error saying what is expected', (flag, value, message) => {
    const error = usageError(['generate', 'a ball', flag, value]);
    expect(error.message).toMatch(message);
    expect(error.topic).toBe('generate');
  });

  it('when a number option is negative, then it is a usage error rather than a missing value', () => {
    expect(usageError(['generate', 'a ball', '--seed=-1']).message).toMatch(/--seed must be a whole number/);
    expect(usageError(['generate', 'a ball', '--seed', '-1']).message).toMatch(/--seed/);
  });

  it('when the prompt is missing or blank, then it is a usage error with an example', () => {
    expect(usageError(['generate']).message).toMatch(/generate needs a prompt, e\.g\. clipbot generate/);
    expect(usageError(['generate', '  ']).message).toMatch(/generate needs a prompt/);
  });

  it('when an option is unknown or lacks its value, then it is a usage error naming it', () => {
    expect(usageError(['generate', 'a ball', '--colour', 'red']).message).toBe("unknown option '--colour'");
    expect(usageError(['generate', 'a ball', '--seed']).message).toMatch(/--seed/);
  });

  it('with --help, asks for the generate help whatever else is given', () => {
    expect(parseCliArgs(['generate', '--help'])).toEqual({ command: 'help', topic: 'generate' });
    expect(parseCliArgs(['generate', 'x', '-h', '--seed', 'bad'])).toEqual({
      command: 'help',
      topic: 'generate',
    });
  });
});

describe('parseCliArgs for models, help and unknown commands', () => {
  it('reads models with or without --model', () => {
    expect(parseCliArgs(['models'])).toEqual({ command: 'models' });
    expect(parseCliArgs(['models', '--model', 'x.json'])).toEqual({ command: 'models', model: 'x.json' });
  });

  it('when models gets a prompt or a generate option, then it is a usage error for models', () => {
    expect(usageError(['models', 'extra']).topic).toBe('models');
    expect(usageError(['models', '--seed', '1']).message).toBe("unknown option '--seed'");
  });

  it('reads --help, -h and help <command> as requests for help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help', topic: 'main' });
    expect(parseCliArgs(['-h'])).toEqual({ command: 'help', topic: 'main' });
    expect(parseCliArgs(['help', 'models'])).toEqual({ command: 'help', topic: 'models' });
    expect(parseCliArgs(['start'])).toEqual({ command: 'start' });
    expect(parseCliArgs(['start', '--help'])).toEqual({ command: 'help', topic: 'start' });
    expect(usageError(['start', 'now']).topic).toBe('start');
  });

  it('when the command is unknown, then the usage error names it and the real ones', () => {
    expect(usageError(['render', 'x']).message).toBe(
      'unknown command "render"; the commands are start, status, generate and models',
    );
  });

  it('when no command is given, then the usage error asks for the whole usage', () => {
    expect(usageError([])).toMatchObject({ message: 'no command given', showUsage: true });
  });
});
