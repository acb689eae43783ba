/** An error the fake answers as Discord does: an HTTP status and a JSON body `{ code, message, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

/** Discord's 400 for a field that breaks a rule: `{ code: 50035, errors: { field: { _errors: [...] } } }`. */
export function invalidFormBody(field: string, code: string, message: string): ApiError {
  const errors: Record<string, unknown> = {};
  let node = errors;
  const parts = field.split('.');
  for (const [index, part] of parts.entries()) {
    const child: Record<string, unknown> = index === parts.length - 1 ? { _errors: [{ code, message }] } : {};
    node[part] = child;
    node = child;
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}

/** The JSON error codes the fake answers with (discord-api-docs, "JSON Error Codes"). */
export const errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  unknownScheduledEvent: () => new ApiError(404, 10070, 'Unknown Guild Scheduled Event'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  tooLarge: () => new ApiError(413, 40005, 'Request entity too large'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  notYourMessage: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
};
