import { CodedError } from '../core/index.ts';

/** Why starting or reaching Redis failed; stable strings for logs and start-up messages. */
export enum RedisErrorCode {
  ServerNotFound = 'REDIS_SERVER_NOT_FOUND',
  ServerStartFailed = 'REDIS_SERVER_START_FAILED',
}

/** An error from src/redis, carrying a {@link RedisErrorCode}. */
export class RedisError extends CodedError<RedisErrorCode> {
  override readonly name = 'RedisError';
}
