export { connectionTrouble, REDIS_DOWN_REMINDER_MS, watchConnection } from './connection-log.ts';
export type { CreateRedisOptions, RedisRole } from './create-redis.ts';
export { createRedis } from './create-redis.ts';
export type { LocalRedis, StartLocalRedisOptions } from './local-redis-server.ts';
export { startLocalRedis } from './local-redis-server.ts';
export { type LuaCommand, luaCommand } from './lua-command.ts';
export { type ErrorEmitter, logQueueErrors } from './queue-error-log.ts';
export { RedisError, RedisErrorCode } from './redis-error.ts';
export { isRedisUnavailable } from './redis-unavailable.ts';
