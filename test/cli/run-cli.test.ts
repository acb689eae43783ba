import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli/index.ts';
import type { ModelManifest } from '../../src/model/index.ts';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';
import { testPicture } from '../support/test-images.ts';
import { CapturedOutput } from './captured-output.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipbot-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI in this process with captured stdio, an explicit environment and the temp folder as cwd. */
async function cli(argv: string[], io: Partial<CliIo> = {}) {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const code = await runCli(argv, { stdout, stderr, env: {}, cwd: dir, ...io });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('clipbot without a model', () => {
  it('with --help, prints the usage on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: clipbot <command>/);
    expect(stdout).toContain('CLIPBOT_PROVIDERS');
    expect(stderr).toBe('');
  });

  it('with no command, prints the whole usage on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: no command given\n\nUsage: clipbot <command>[\s\S]*generate[\s\S]*models/,
    );
  });

  it('when an option value is bad, then exits 2 before loading anything', async () => {
    const { code, stderr } = await cli(['generate', 'a ball', '--steps', 'many'], {
      env: { CLIPBOT_MODEL: join(dir, 'absent.json') },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('error: --steps must be a whole number of at least 1, got "many"');
    expect(stderr).not.toContain('absent.json');
  });

  it('when the environment is invalid, then exits 2 naming the variable', async () => {
    const { code, stderr } = await cli(['models'], { env: { CLIPBOT_PROVIDERS: 'tpu' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown provider "tpu"[\s\S]*CLIPBOT_PROVIDERS/);
  });

  it('when the --out folder does not exist, then exits 2 before loading the model', async () => {
    const out = join(dir, 'no-such-folder', 'x.mp4');
    const { code, stderr } = await cli([
      'generate',
      'a ball',
      '--out',
      out,
      '--model',
      join(dir, 'absent.json'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--out: cannot write to folder ${join(dir, 'no-such-folder')} (ENOENT)`);
  });

  it('when the manifest is missing, then exits 1 naming its path, with no stack trace', async () => {
    const { code, stderr } = await cli(['models', '--model', 'nowhere/model.json']);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: model manifest not found: ${join(dir, 'nowhere/model.json')}\n`);
  });
});

describe('clipbot with the bundled model', () => {
  it('lists the tiers with their size, frames, steps and memory, starring the default', async () => {
    const { code, stdout } = await cli(['models'], { env: { CLIPBOT_MODEL: BUNDLED_MANIFEST } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^shapes-v1: /);
    expect(stdout).toContain(`manifest  ${BUNDLED_MANIFEST}`);
    expect(stdout).toMatch(/fps\s+8/);
    const manifest = JSON.parse(readFileSync(BUNDLED_MANIFEST, 'utf8')) as ModelManifest;
    for (const t of manifest.tiers) {
      const star = t.name === manifest.defaults.tier ? ' \\*' : '';
      const row = `${t.name}${star}\\s+${t.width}x${t.height}\\s+${t.frames}\\s+${t.steps}\\s+${t.memoryMB} MiB`;
      expect(stdout).toMatch(new RegExp(row));
    }
  });

  it('when the tier is unknown, then exits 1 with the pipeline message listing the tiers', async () => {
    const { code, stdout, stderr } = await cli(['generate', 'a red ball', '--tier', 'ultra']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'error: model shapes-v1 has no tier "ultra"; its tiers are: low, medium, high\n',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(dir)).toEqual([]);
  });

  it('with --image, checks the picture before loading, and the bundled model says it takes none', async () => {
    await writeFile(join(dir, 'notes.png'), 'not a picture');
    const bad = await cli(['generate', 'a red ball', '--image', 'notes.png']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --image: Your image "notes.png" is not a PNG, JPEG or WebP picture');
    await writeFile(join(dir, 'cat.png'), await testPicture('png', 320, 240));
    const refused = await cli(['generate', 'a red ball', '--image', 'cat.png']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: model shapes-v1 makes clips from text only; it cannot start from a picture\n',
    );
    expect((await readdir(dir)).sort()).toEqual(['cat.png', 'notes.png']);
  });

  it('when LOG_LEVEL is debug, then an error comes with its stack trace', async () => {
    const { code, stderr } = await cli(['generate', 'a red ball', '--tier', 'ultra'], {
      env: { LOG_LEVEL: 'debug' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PipelineError: model shapes-v1 has no tier "ultra"[^\n]*\n\s+at /);
  });

  it('writes clip-<seed>.mp4 in the cwd by default and notes the words the model ignored', async () => {
    const { code, stdout, stderr } = await cli([
      'generate',
      'a red zeppelin ball',
      '--tier',
      'low',
      '--seed',
      '7',
    ]);
    expect(code).toBe(0);
    const path = join(dir, 'clip-7.mp4');
    expect(existsSync(path)).toBe(true);
    expect(stdout).toMatch(new RegExp(`^wrote ${path}\\n`));
    expect(stdout).toMatch(/seed\s+7\n/);
    expect(stdout).toMatch(/video\s+256x256 H\.264/);
    expect(stdout).toMatch(/provider\s+cpu/);
    expect(stderr).toContain('note: ignored words the model does not know: zeppelin\n');
    expect(stderr).toMatch(/step 12\/12 · tier low · /);
  });

  it('when cancelled, then stops, writes nothing and exits 130', async () => {
    const controller = new AbortController();
    controller.abort();
    const { code, stderr } = await cli(['generate', 'a red ball', '--tier', 'low', '--seed', '1'], {
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelled\n$/);
    expect(await readdir(dir)).toEqual([]);
  });
});
