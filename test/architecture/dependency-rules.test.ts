import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../scripts/deps/check-dependencies.ts';
import { findFolderCycles, folderOf } from '../../scripts/deps/folder-cycles.ts';

const rules = fileURLToPath(new URL('../../.dependency-cruiser.mjs', import.meta.url));

/** A small tree that breaks some rules on purpose, in the ways the real code could. */
const brokenTree: Record<string, string> = {
  'src/core/index.ts': "import type { Clip } from '../app/clip.ts';\nexport type Reply = Clip;\n",
  'src/app/clip.ts': 'export type Clip = { bytes: number };\n',
  'src/app/uses-worker.ts': "export { run } from '../../worker/main.ts';\n",
  'src/config/config.ts':
    "import { TOKEN_LENGTH } from '../dashboard/token-length.ts';\nexport const n = TOKEN_LENGTH;\n",
  'src/dashboard/token-length.ts': 'export const TOKEN_LENGTH = 16;\n',
  'src/dashboard/start.ts':
    "import type { Settings } from '../config/settings.ts';\nexport type S = Settings;\n",
  'src/config/settings.ts': 'export type Settings = { port: number };\n',
  'src/launcher/supervisor.ts': "export const entry = new URL('../../worker/main.ts', import.meta.url);\n",
  'src/adapters/discord/adapter.ts':
    "import { render } from '../slack/render.ts';\nexport const r = render;\n",
  'src/adapters/slack/render.ts': 'export const render = (): string => "";\n',
  'worker/main.ts': "import { render } from '../src/adapters/slack/render.ts';\nexport const run = render;\n",
  'scripts/bench.ts': "import { run } from '../worker/main.ts';\nexport const b = run;\n",
};

describe('the dependency rules check', () => {
  let base: string;
  let problems: string[];
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'clipbot-deps-'));
    for (const [path, text] of Object.entries(brokenTree)) {
      await mkdir(dirname(join(base, path)), { recursive: true });
      await writeFile(join(base, path), text);
    }
    ({ problems } = await checkDependencies(base, rules));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const problemsOf = (rule: string) => problems.filter((p) => p.startsWith(`${rule}: `));

  it('when the core imports a type from another folder, then it names the rule and the import type', () => {
    expect(problemsOf('core-imports-only-core')).toEqual([
      expect.stringContaining("src/core/index.ts: import type '../app/clip.ts'"),
    ]);
  });

  it('when two folders import each other via other files, then it names the cycle and each import', () => {
    const [cycle, ...more] = problemsOf('no-folder-cycles');
    expect(more).toEqual([]);
    expect(cycle).toContain('no-folder-cycles: src/config -> src/dashboard -> src/config');
    expect(cycle).toContain("src/config/config.ts: import '../dashboard/token-length.ts'");
    expect(cycle).toContain("src/dashboard/start.ts: import type '../config/settings.ts'");
    expect(problemsOf('no-file-cycles')).toEqual([]);
  });

  it('when src imports worker/, then it is refused; an import in scripts or a spawned URL is not', () => {
    const refused = problemsOf('only-tests-and-scripts-import-worker');
    expect(refused).toEqual([
      expect.stringContaining("src/app/uses-worker.ts: import '../../worker/main.ts'"),
    ]);
  });

  it('when an adapter imports another, or the worker imports one, then both are refused', () => {
    expect(problemsOf('adapter-imports-no-other-adapter')).toEqual([
      expect.stringContaining("src/adapters/discord/adapter.ts: import '../slack/render.ts'"),
    ]);
    expect(problemsOf('worker-imports-no-adapter')).toEqual([expect.stringContaining('worker/main.ts')]);
    expect(problemsOf('only-bot-wires-adapters')).toEqual([expect.stringContaining('worker/main.ts')]);
  });

  it('finds the six planted breaks and nothing else', () => {
    expect(problems).toHaveLength(6);
  });
});

describe('folder cycles', () => {
  it('count src/<x>, src/adapters/<platform>, worker, commands and scripts as one node each', () => {
    expect(folderOf('src/admission/rate-limits/limits.ts')).toBe('src/admission');
    expect(folderOf('src/adapters/playground/reply-view.ts')).toBe('src/adapters/playground');
    expect(folderOf('worker/fallback/tier-choice.ts')).toBe('worker');
    expect(folderOf('commands/video.ts')).toBe('commands');
    expect(folderOf('test/config/config.test.ts')).toBeUndefined();
  });

  it('a cycle through three folders is reported once, from its first folder', () => {
    const edge = (from: string, to: string) => ({ from, to, specifier: to, typeOnly: false });
    const cycles = findFolderCycles([
      edge('src/b/x.ts', 'src/c/x.ts'),
      edge('src/c/x.ts', 'src/a/x.ts'),
      edge('src/a/x.ts', 'src/b/x.ts'),
      edge('src/a/y.ts', 'src/d/y.ts'),
      edge('src/a/sub/z.ts', 'src/a/x.ts'),
    ]);
    expect(cycles.map((c) => c.folders)).toEqual([['src/a', 'src/b', 'src/c']]);
  });
});
