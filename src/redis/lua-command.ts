import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

/** Runs the script with its keys first, then its arguments, as EVALSHA/EVAL would. */
export type LuaCommand = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

const sources = new Map<string, string>();

/**
 * A Lua script file (resolved like an import, e.g. `new URL('./admit-5.lua', import.meta.url)`) as a
 * command on this connection, defined once per connection under `name`: ioredis runs it with EVALSHA
 * and falls back to EVAL after a NOSCRIPT (a restarted Redis). The file is read once per process.
 */
export function luaCommand(redis: Redis, name: string, file: URL, numberOfKeys: number): LuaCommand {
  let lua = sources.get(file.href);
  if (lua === undefined) {
    lua = readFileSync(fileURLToPath(file), 'utf8');
    sources.set(file.href, lua);
  }
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, LuaCommand>)[name] as LuaCommand;
  return (...keysThenArgs) => command.call(redis, ...keysThenArgs);
}
