/**
 * Base of clipbot's errors: a stable string `code` (an enum per module) that logs, metrics and
 * user-facing replies match on, and a message that says what is wrong and where.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
