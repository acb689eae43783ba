export type { CreateLoggerOptions } from './logger.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
export { redactUrl } from './redact-url.ts';
export { errorSerializer, type SafeError, safeError } from './safe-error.ts';
