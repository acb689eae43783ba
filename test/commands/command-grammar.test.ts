import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandDefinition,
  helpText,
  modelFacts,
  type ParsedCommandLine,
  parseCommandLine,
  splitWords,
  videoCommand,
} from '../../commands/index.ts';
import { imageFromBytes } from '../../src/core/index.ts';
import { loadManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

let video: CommandDefinition;
beforeAll(async () => {
  video = videoCommand.define(modelFacts((await loadManifest(BUNDLED_MANIFEST)).manifest));
});

const parse = (line: string): ParsedCommandLine => parseCommandLine(video, line);

/** The values of a line that must parse. */
function values(line: string) {
  const parsed = parse(line);
  if (parsed.kind !== 'invocation')
    throw new Error(`expected values for ${line}, got ${JSON.stringify(parsed)}`);
  return parsed.values;
}

/** The message of a line that must be refused. */
function refusal(line: string): string {
  const parsed = parse(line);
  if (parsed.kind !== 'invalid')
    throw new Error(`expected a refusal for ${line}, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('the /video text grammar: values', () => {
  it('gives seed 7 for --seed 7 and for --seed=7 alike', () => {
    expect(values('/video a red ball --seed 7')).toEqual({ prompt: 'a red ball', seed: 7 });
    expect(values('/video a red ball --seed=7')).toEqual({ prompt: 'a red ball', seed: 7 });
  });

  it('takes options anywhere after the first word of the prompt; the rest is the prompt', () => {
    expect(values('/video a red ball --seed 7 bouncing --quality LOW --steps=20 on grass')).toEqual({
      prompt: 'a red ball bouncing on grass',
      seed: 7,
      quality: 'low',
      steps: 20,
    });
    expect(values('  /VIDEO a star --GUIDANCE 4.5')).toEqual({ prompt: 'a star', guidance: 4.5 });
  });

  it('keeps the spaces of quoted values, in double, single or curly quotes, also after =', () => {
    for (const quoted of ['"blurry text"', "'blurry text'", '“blurry text”'])
      expect(values(`/video a cat --negative ${quoted}`).negative).toBe('blurry text');
    expect(values('/video a cat --negative="blurry text" --seed 1')).toEqual({
      prompt: 'a cat',
      negative: 'blurry text',
      seed: 1,
    });
    expect(values('/video a cat --negative "--seed 5"').negative).toBe('--seed 5');
  });

  it('reads an apostrophe inside a word as part of the prompt, and a quoted prompt word as text', () => {
    expect(values("/video a cat's toy and a dog's bone").prompt).toBe("a cat's toy and a dog's bone");
    expect(values('/video the word "--seed" on a sign').prompt).toBe('the word --seed on a sign');
  });

  it('reads a boolean option as a flag, or as --flag=false', () => {
    expect(values('/video a cat --private')).toEqual({ prompt: 'a cat', private: true });
    expect(values('/video --private a cat')).toEqual({ prompt: 'a cat', private: true });
    expect(values('/video a cat --private=false').private).toBe(false);
  });

  it('passes numbers outside the ranges through: ranges are for admission to refuse in its words', () => {
    expect(values('/video a cat --steps 51 --guidance 99 --seed -1')).toMatchObject({
      steps: 51,
      guidance: 99,
      seed: -1,
    });
  });

  it('gives an empty prompt for /video alone, for admission to call too short', () => {
    expect(values('/video')).toEqual({ prompt: '' });
  });
});

describe('the /video text grammar: help', () => {
  it('answers --help, anywhere, and help as the only word, with the help text', () => {
    for (const line of ['/video --help', '/video a cat --seed x --help', '/video help', '/video HELP'])
      expect(parse(line)).toEqual({ kind: 'help', text: helpText(video) });
    expect(values('/video help me draw a cat').prompt).toBe('help me draw a cat');
  });

  it('lists every option with its description and its range or choices, from the definition', () => {
    const text = helpText(video);
    for (const option of video.options) expect(text).toContain(option.description);
    expect(text).toContain('<prompt>: What the clip should show');
    expect(text).toContain('(3 to 500 characters, required)');
    expect(text).toContain(
      '--negative TEXT: What to keep out of the clip, e.g. blurry, text (up to 200 characters).',
    );
    expect(text).toContain('--seed N: ');
    expect(text).toContain('(a whole number from 0 to 4294967295)');
    expect(text).toMatch(
      /--quality CHOICE: .*one of: auto: the best that fits now; low: 64×64, 8 frames; medium: .*; high: .*, default auto\)/,
    );
    expect(text).toContain('--steps N: ');
    expect(text).toContain('(a whole number from 1 to 50)');
    expect(text).toContain('--guidance X: ');
    expect(text).toContain('(a number from 0 to 15, default 4)');
    expect(text).toContain('--private: Only you see the reply.');
  });
});

describe('the /video text grammar: refusals', () => {
  it('refuses another command, naming the one it knows', () => {
    expect(refusal('/vidoe a ball')).toBe('I only know /video. Type /video --help for the options.');
    expect(refusal('make me a video')).toMatch(/^I only know \/video/);
  });

  it('refuses an unknown option, listing the real ones', () => {
    expect(refusal('/video a ball --fps 30')).toBe(
      'There is no option --fps; the options are --negative, --seed, --quality, --steps, --guidance, ' +
        '--private, --caption, --image. Type /video --help for the options.',
    );
  });

  it('refuses names every object inherits as unknown options', () => {
    for (const inherited of ['--constructor 5', '--__proto__ 3', '--toString 1', '--hasOwnProperty=x'])
      expect(refusal(`/video a ball ${inherited}`)).toMatch(/^There is no option --/);
  });

  it('refuses an option with no value, at the end or before another option', () => {
    expect(refusal('/video a ball --seed')).toBe('--seed needs a value. Type /video --help for the options.');
    expect(refusal('/video a ball --negative --seed 5')).toMatch(/^--negative needs a value/);
  });

  it('refuses a value that is not a number, or not a whole number where one is needed', () => {
    expect(refusal('/video a ball --seed seven')).toBe('--seed must be a whole number; got "seven".');
    expect(refusal('/video a ball --steps 2.5')).toBe('--steps must be a whole number; got "2.5".');
    expect(refusal('/video a ball --guidance lots')).toBe('--guidance must be a number; got "lots".');
    expect(refusal('/video a ball --guidance=')).toBe('--guidance must be a number; got "".');
  });

  it.each(['0x10', '1e3', '1.0', '+5', '٣'])('refuses --seed %s: a seed is plain decimal digits', (seed) => {
    expect(refusal(`/video a ball --seed ${seed}`)).toBe(`--seed must be a whole number; got "${seed}".`);
  });

  it('refuses a quality the model does not offer, naming the ones it does', () => {
    expect(refusal('/video a ball --quality ultra')).toBe(
      '--quality must be one of auto, low, medium, high; got "ultra".',
    );
  });

  it('refuses an option given twice, the prompt written as an option, and a word for a flag', () => {
    expect(refusal('/video a ball --seed 1 --seed 2')).toBe('--seed is given twice; give it once.');
    expect(refusal('/video --prompt "a ball"')).toBe(
      'Write the prompt as plain words after /video, without --prompt.',
    );
    expect(refusal('/video a ball --private=maybe')).toMatch(/^--private is a switch/);
  });

  it('cuts a long value short in its refusal', () => {
    expect(refusal(`/video a ball --seed ${'9'.repeat(30)}x${'9'.repeat(30)}`).length).toBeLessThan(90);
  });
});

describe('splitWords', () => {
  it('marks quoted words, so they are never read as options, and leaves an unmatched quote as it is', () => {
    expect(splitWords('a "b c" --d="e f" \'g')).toEqual([
      { text: 'a', quoted: false },
      { text: 'b c', quoted: true },
      { text: '--d=e f', quoted: false },
      { text: "'g", quoted: false },
    ]);
  });
});

describe('the /video text grammar: an image option', () => {
  it('is a picture the platform reads from the typed text, or a refusal saying how to give one', () => {
    const cat = imageFromBytes('cat.png', new Uint8Array(4));
    const parsed = parseCommandLine(video, '/video a cat yawning --image https://files.example/F1', {
      image: (text) => (text.endsWith('/F1') ? cat : { problem: 'not a file of ours' }),
    });
    expect(parsed).toEqual({ kind: 'invocation', values: { prompt: 'a cat yawning', image: cat } });
    expect(
      parseCommandLine(video, '/video a cat --image elsewhere', {
        image: () => ({ problem: 'not a file of ours' }),
      }),
    ).toEqual({ kind: 'invalid', message: 'not a file of ours' });
    expect(refusal('/video a cat --image cat.png')).toBe(
      '--image takes a picture attached to the command, not text.',
    );
  });

  it('is shown in the help as a file, with the formats and size it takes', () => {
    expect(helpText(video)).toContain(
      "--image FILE: A picture to start from; this server's model makes clips from text only (a PNG, JPEG or WebP picture of up to 10 MB).",
    );
  });
});
