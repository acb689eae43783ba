import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

describe('CLIPBOT_WARM_PROMPTS', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipbot-warm-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const failure = (path: string): string => {
    try {
      loadConfig({ CLIPBOT_WARM_PROMPTS: path });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads global and per-tenant prompts, as text or with a caption and quality', async () => {
    const path = await file(
      'ok.json',
      JSON.stringify({
        global: ['a pink star spinning at night'],
        tenants: {
          'discord:123456789012345678': [{ prompt: 'a cake', caption: 'Happy birthday!', quality: 'low' }],
          'slack:T0123': ['a blue square'],
        },
      }),
    );
    expect(loadConfig({ CLIPBOT_WARM_PROMPTS: path }).warmPrompts).toEqual([
      { prompt: 'a pink star spinning at night' },
      {
        prompt: 'a cake',
        caption: 'Happy birthday!',
        quality: 'low',
        tenantKey: 'discord:123456789012345678',
      },
      { prompt: 'a blue square', tenantKey: 'slack:T0123' },
    ]);
  });

  it('unset, nothing is warmed', () => {
    expect(loadConfig({}).warmPrompts).toEqual([]);
  });

  it('when the file is missing, not JSON or not the expected shape, then start-up fails naming the file and the problem', async () => {
    const missing = join(dir, 'nope.json');
    expect(failure(missing)).toMatch(`CLIPBOT_WARM_PROMPTS file ${missing}: cannot be read (ENOENT)`);
    const broken = await file('broken.json', '{"global": [');
    expect(failure(broken)).toMatch(`CLIPBOT_WARM_PROMPTS file ${broken}: is not JSON`);
    const shape = await file(
      'shape.json',
      JSON.stringify({ global: [''], tenants: { teams: ['x'] }, extra: 1 }),
    );
    const message = failure(shape);
    expect(message).toMatch(`CLIPBOT_WARM_PROMPTS file ${shape}:`);
    expect(message).toMatch(/global\[0\]/);
    expect(message).toMatch(/a tenant is written platform:id/);
    expect(message).toMatch(/extra/);
  });
});
