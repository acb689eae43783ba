import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CommandError, CommandErrorCode } from './command-error.ts';
import { type CommandModule, commandModuleSchema } from './command-module.ts';

/** commands/, where this kit's folder sits. */
const COMMANDS_DIR = fileURLToPath(new URL('../', import.meta.url));

/** A command file: `<name>.ts` (or `.js` once built), not the folder's index, not a declaration. */
function isCommandFile(file: string): boolean {
  return /\.(ts|js|mjs)$/.test(file) && !/\.d\.ts$/.test(file) && !/^index\./.test(file);
}

/**
 * Imports every command file directly in `folder` (default: commands/; subfolders such as kit/ are
 * not commands) and checks each default export with the command predicate. Fails on the first bad
 * file with a message naming it and what is wrong, and when a file's name differs from its command's.
 */
export async function loadCommands(folder: string = COMMANDS_DIR): Promise<Map<string, CommandModule>> {
  const dir = resolve(folder);
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && isCommandFile(e.name))
    .map((e) => e.name)
    .sort();
  const commands = new Map<string, CommandModule>();
  for (const file of files) {
    const path = join(dir, file);
    const imported = (await import(pathToFileURL(path).href)) as { default?: unknown };
    const checked = commandModuleSchema.safeParse(imported.default);
    if (!checked.success) {
      const why = checked.error.issues.map((i) => `${i.path.join('.') || 'default export'}: ${i.message}`);
      throw new CommandError(
        CommandErrorCode.InvalidModule,
        `${path} is not a command module (export default { name, define, execute }): ${why.join('; ')}`,
      );
    }
    const command = imported.default as CommandModule;
    const stem = basename(file).replace(/\.[^.]+$/, '');
    if (command.name !== stem)
      throw new CommandError(
        CommandErrorCode.InvalidModule,
        `${path} defines /${command.name}; a command file is named after its command (${command.name}.ts)`,
      );
    commands.set(command.name, command);
  }
  return commands;
}
