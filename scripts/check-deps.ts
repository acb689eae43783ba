// Checks clipbot's dependency rules (written down at the top of .dependency-cruiser.mjs) and exits 1
// naming each rule broken and the import that breaks it. Part of `npm test`:
//
//   npm run deps
import { fileURLToPath } from 'node:url';
import { checkDependencies } from './deps/check-dependencies.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = await checkDependencies(root, `${root}.dependency-cruiser.mjs`);

if (report.problems.length === 0) {
  console.log(`dependency rules: ${report.rules} rules hold across ${report.files} files`);
} else {
  console.error(report.problems.join('\n\n'));
  const broken = report.problems.length;
  console.error(`\ndependency rules: ${broken} broken (the rules are written atop .dependency-cruiser.mjs)`);
  process.exitCode = 1;
}
