import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CommandError,
  isCommandModule,
  loadCommands,
  videoAdminCommand,
  videoCommand,
  videoQueueCommand,
} from '../../commands/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipbot-commands-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const GOOD = "export default { name: 'ping', define: () => ({}), execute: async () => {} };\n";

describe('loadCommands', () => {
  it('loads every command file of commands/ by name, and not the kit or the index', async () => {
    const commands = await loadCommands();
    expect([...commands.keys()]).toEqual(['video-admin', 'video-queue', 'video-schedule', 'video']);
    expect(commands.get('video')).toBe(videoCommand);
    expect(commands.get('video-queue')).toBe(videoQueueCommand);
    expect(commands.get('video-admin')).toBe(videoAdminCommand);
  });

  it('loads a folder of its own, skipping subfolders, index files and declarations', async () => {
    await writeFile(join(dir, 'ping.mjs'), GOOD);
    await writeFile(join(dir, 'index.mjs'), 'export default 42;\n');
    await writeFile(join(dir, 'notes.d.ts'), 'export {};\n');
    await mkdir(join(dir, 'kit'));
    await writeFile(join(dir, 'kit', 'helper.mjs'), 'export default 42;\n');
    expect([...(await loadCommands(dir)).keys()]).toEqual(['ping']);
  });

  it('when a file does not export a command, then it fails naming the file and what is wrong', async () => {
    await writeFile(join(dir, 'ping.mjs'), GOOD);
    await writeFile(
      join(dir, 'broken.mjs'),
      "export default { name: 'Broken', define: 'not a function' };\n",
    );
    const failure = loadCommands(dir);
    await expect(failure).rejects.toBeInstanceOf(CommandError);
    await expect(loadCommands(dir)).rejects.toThrow(
      /broken\.mjs is not a command module .*name: name must be lowercase.*define: define\(facts\) must be a function.*execute: /,
    );
  });

  it('when a file has no default export, then it fails naming the file', async () => {
    await writeFile(join(dir, 'ping.mjs'), "export const ping = { name: 'ping' };\n");
    await expect(loadCommands(dir)).rejects.toThrow(/ping\.mjs is not a command module/);
  });

  it("when a file's command has another name than the file, then it fails saying so", async () => {
    await writeFile(join(dir, 'pong.mjs'), GOOD);
    await expect(loadCommands(dir)).rejects.toThrow(
      /pong\.mjs defines \/ping; .*named after its command \(ping\.ts\)/,
    );
  });
});

describe('isCommandModule', () => {
  it('accepts /video and refuses what lacks a function or a valid name', () => {
    expect(isCommandModule(videoCommand)).toBe(true);
    expect(isCommandModule({ ...videoCommand, execute: undefined })).toBe(false);
    expect(isCommandModule({ ...videoCommand, name: 'a'.repeat(33) })).toBe(false);
    expect(isCommandModule(null)).toBe(false);
  });
});
