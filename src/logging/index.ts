export type { CreateLoggerOptions } from './logger.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
