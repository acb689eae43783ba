// clipbot's dependency rules, checked by `npm run deps` (part of `npm test`) through
// scripts/check-deps.ts, and by `npx depcruise src worker scripts test` for everything but rule 6:
//  1. src/core/ imports nothing of ours outside src/core (type-only imports included).
//  2. An adapter (src/adapters/<platform>/) imports the core and its own SDK, never another adapter;
//     nothing outside src/adapters and src/bot imports an adapter (src/bot wires them up; tests may).
//  3. The worker (worker/) imports no adapter.
//  4. src/ and commands/ import nothing from worker/; only tests and scripts import worker/. A path
//     handed to a child process (new URL('../../worker/main.ts', import.meta.url)) is not an import.
//  5. No file imports itself back through a chain of imports (no file cycles).
//  6. No folder cycles: each of src/<x>, src/adapters/<platform>, worker, commands and scripts is one
//     node, and the graph of those nodes is acyclic. dependency-cruiser's own folder scope counts every
//     sub-folder as a node of its own, so scripts/check-deps.ts builds this graph from the cruise result.
// Type-only imports count everywhere: they tie the folders together as much as value imports do.

const PLATFORM_SDKS = {
  discord: '^(node_modules/)?(discord\\.js|@discordjs/)',
  slack: '^(node_modules/)?@slack/',
};

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment: 'src/core is the centre: it imports nothing of ours outside src/core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|worker|commands|scripts|test|bin)/', pathNot: '^src/core/' },
    },
    {
      name: 'adapter-imports-no-other-adapter',
      comment: 'An adapter imports the core and its own SDK, never another adapter.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    ...Object.entries(PLATFORM_SDKS).map(([platform, sdk]) => ({
      name: `${platform}-sdk-only-in-its-adapter`,
      comment: `Only src/adapters/${platform} (and its tests) imports the ${platform} SDK.`,
      severity: 'error',
      from: { pathNot: [`^src/adapters/${platform}/`, '^test/'] },
      to: { path: sdk },
    })),
    {
      name: 'only-bot-wires-adapters',
      comment: 'Nothing outside src/adapters and src/bot imports an adapter (src/bot wires them up).',
      severity: 'error',
      from: { pathNot: ['^src/adapters/', '^src/bot/', '^test/'] },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'worker-imports-no-adapter',
      comment: 'The worker renders nothing itself: it imports no adapter.',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'only-tests-and-scripts-import-worker',
      comment: 'worker/ is the worker process: only tests and scripts import it, never src/ or commands/.',
      severity: 'error',
      from: { pathNot: ['^worker/', '^test/', '^scripts/'] },
      to: { path: '^worker/' },
    },
    {
      name: 'no-file-cycles',
      comment: 'A file never imports itself back through a chain of imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolved-imports',
      comment: 'An import the cruise cannot resolve would hide its edge from every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` and `import { type X }`: they are edges between folders too.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
  },
};
