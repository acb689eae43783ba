import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type IDependency, type IModule, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { type FileImport, type FolderCycle, findFolderCycles } from './folder-cycles.ts';

/** The top-level folders the check reads; those that do not exist are skipped. */
const CRUISED = ['src', 'worker', 'commands', 'scripts', 'test', 'bin'];

/** What one run of the check found. */
export interface DependencyReport {
  /** How many files were read. */
  files: number;
  /** How many rules were checked, folder cycles included. */
  rules: number;
  /** One message per broken rule: the rule's name, the offending import(s), the rule's reason. */
  problems: string[];
}

/**
 * Checks the rules in `configFile` (dependency-cruiser's) and the folder-cycle rule over the files
 * under `baseDir`.
 */
export async function checkDependencies(baseDir: string, configFile: string): Promise<DependencyReport> {
  const options = await extractDepcruiseOptions(configFile);
  const roots = CRUISED.filter((folder) => existsSync(join(baseDir, folder)));
  const { output } = await cruise(roots, { ...options, baseDir });
  if (typeof output === 'string') throw new Error('dependency-cruiser gave a report, not a cruise result');
  const rules = options.ruleSet?.forbidden ?? [];
  const reasons = new Map(rules.map((rule) => [rule.name ?? '', rule.comment ?? '']));
  const imports = output.modules.flatMap(fileImports);
  const written = new Map(imports.map((i) => [`${i.from}\n${i.to}`, i]));
  // "src/core/a.ts: import type './b.ts' (src/core/b.ts)": the import as written, then where it led.
  const describe = (from: string, to: string): string => {
    const fileImport = written.get(`${from}\n${to}`);
    if (!fileImport) return `${from}: import '${to}'`;
    const resolved = fileImport.specifier === to ? '' : ` (${to})`;
    return `${from}: ${fileImport.typeOnly ? 'import type' : 'import'} '${fileImport.specifier}'${resolved}`;
  };
  const problems = [
    ...output.summary.violations.map((violation) => ruleProblem(violation, reasons, describe)),
    ...findFolderCycles(imports).map(folderCycleProblem),
  ];
  return {
    files: output.modules.filter((m) => !m.source.startsWith('node_modules')).length,
    rules: rules.length + 1,
    problems,
  };
}

function fileImports(module: IModule): FileImport[] {
  return module.dependencies
    .filter((dependency: IDependency) => !dependency.coreModule)
    .map((dependency) => ({
      from: module.source,
      to: dependency.resolved,
      specifier: dependency.module,
      typeOnly: dependency.dependencyTypes.includes('type-only'),
    }));
}

function ruleProblem(
  violation: IViolation,
  reasons: Map<string, string>,
  describe: (from: string, to: string) => string,
): string {
  const name = violation.rule.name;
  const reason = reasons.get(name) ?? '';
  if (violation.cycle?.length) {
    const chain = [violation.from, ...violation.cycle.map((step) => step.name)];
    const steps = chain.slice(0, -1).map((from, i) => `    ${describe(from, chain[i + 1] as string)}`);
    return [`${name}: ${chain.join(' -> ')}`, ...steps, `    why: ${reason}`].join('\n');
  }
  return [`${name}: ${describe(violation.from, violation.to)}`, `    why: ${reason}`].join('\n');
}

function folderCycleProblem(cycle: FolderCycle): string {
  const lines = [`no-folder-cycles: ${[...cycle.folders, cycle.folders[0]].join(' -> ')}`];
  for (const step of cycle.steps) {
    lines.push(`    ${step.from} -> ${step.to}:`);
    for (const i of step.imports) {
      lines.push(`      ${i.from}: ${i.typeOnly ? 'import type' : 'import'} '${i.specifier}'`);
    }
  }
  lines.push(
    '    why: each of src/<x>, src/adapters/<platform>, worker, commands, scripts is one node; no cycles.',
  );
  return lines.join('\n');
}
