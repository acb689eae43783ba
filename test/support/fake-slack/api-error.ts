/**
 * An error the fake answers as the Web API does: HTTP 200 with `{ ok: false, error }` (Slack's Web API
 * uses no other status except 429), plus fields some errors carry (`needed`, `provided`,
 * `response_metadata.messages`).
 */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }

  body(): Record<string, unknown> {
    return { ok: false, error: this.error, ...this.extra };
  }
}

/** `invalid_blocks` with the reasons Slack lists, one `[ERROR] … [json-pointer:…]` line each. */
export function invalidBlocks(problems: { pointer: string; message: string }[]): SlackApiError {
  return new SlackApiError('invalid_blocks', {
    errors: problems.map(({ pointer, message }) => `${message} [json-pointer:${pointer}]`),
    response_metadata: {
      messages: problems.map(({ pointer, message }) => `[ERROR] ${message} [json-pointer:${pointer}]`),
    },
  });
}
