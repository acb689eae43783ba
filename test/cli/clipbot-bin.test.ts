import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_MANIFEST } from '../support/bundled-model.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `node bin/clipbot.mjs …` as a user would, without LOG_LEVEL or CLIPBOT_* from this shell. */
function clipbot(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'LOG_LEVEL' && !name.startsWith('CLIPBOT_')),
  );
  const child = spawn(process.execPath, ['bin/clipbot.mjs', ...args], { cwd: PACKAGE_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const file = await open(path);
  try {
    const { buffer } = await file.read(Buffer.alloc(count), 0, count, 0);
    return buffer;
  } finally {
    await file.close();
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipbot-bin-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the clipbot command', () => {
  it('generates a clip into the --out file and says where it went', async () => {
    const out = join(dir, 'x.mp4');
    const args = ['generate', 'a red ball moving left', '--tier', 'low', '--seed', '1', '--out', out];
    const { code, stdout, stderr } = await clipbot([...args, '--model', BUNDLED_MANIFEST]);
    expect(stderr).not.toContain('error:');
    expect(code).toBe(0);
    // An MP4 opens with its ftyp box: a 4-byte size, then the type.
    expect((await firstBytes(out, 8)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(stdout).toContain(out);
    expect(stdout).toMatch(/tier\s+low: 64x64, 8 frames/);
  });

  it('when the manifest does not exist, then models exits 1 naming the path', async () => {
    const missing = join(dir, 'missing', 'model.json');
    const { code, stdout, stderr } = await clipbot(['models', '--model', missing]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: model manifest not found: ${missing}\n`);
  });

  it('when the command is unknown, then exits 2 with the usage', async () => {
    const { code, stderr } = await clipbot(['render']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: unknown command "render"');
    expect(stderr).toContain('Usage: clipbot <command>');
  });
});
