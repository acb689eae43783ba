export type { CreateRedisOptions, RedisRole } from './create-redis.ts';
export { createRedis } from './create-redis.ts';
export type { LocalRedis, StartLocalRedisOptions } from './local-redis-server.ts';
export { startLocalRedis } from './local-redis-server.ts';
export { type LuaCommand, luaCommand } from './lua-command.ts';
export { RedisError, RedisErrorCode } from './redis-error.ts';
