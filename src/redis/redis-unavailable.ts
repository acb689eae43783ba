const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN']);
const CONNECTION_MESSAGES = [
  /Stream isn't writeable/,
  /Connection is closed/,
  /max retries per request/i,
  /connect ECONNREFUSED/,
];

/**
 * Whether an error says Redis could not be reached (as opposed to a command that Redis refused):
 * such a request deserves "unavailable for a moment, try again", not "something went wrong".
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && CONNECTION_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message));
}
