// Writes .env.example from the config schema, so it lists every variable with its description.
//   npx tsx scripts/write-env-example.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeConfig } from '../src/config/index.ts';

export function envExample(): string {
  const lines = ['# clipbot configuration: every variable is optional; the defaults run on one machine.', ''];
  for (const { name, description } of describeConfig()) lines.push(`# ${description}`, `# ${name}=`, '');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), envExample());
}
