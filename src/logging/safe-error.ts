import { stdSerializers } from 'pino';

/** What of an error may reach a log line: no stack, no command arguments. */
export interface SafeError {
  name: string;
  message: string;
  /** `ECONNREFUSED`, or a coded error's code. */
  code?: string;
  /** The Redis command that failed (`auth`, `evalsha`), by name only. */
  command?: string;
}

/** ioredis's ReplyError names the command it answered: `{ name, args }`; args can hold a password. */
function commandName(error: object): string | undefined {
  const command = (error as { command?: unknown }).command;
  if (typeof command !== 'object' || command === null) return undefined;
  const name = (command as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Any thrown value reduced to `{ name, message, code, command }` for one log line. ioredis puts a
 * command's arguments in its errors (a wrong password's `AUTH` arguments among them), and a stack
 * repeated on every reconnect attempt drowns the log: neither is kept.
 */
export function safeError(error: unknown): SafeError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  const command = commandName(error);
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(command ? { command } : {}),
  };
}

/**
 * pino's `err` serializer (message, stack, own properties) with a Redis command's arguments
 * dropped, for errors logged with their stack on purpose (`log.error({ err }, …)`).
 */
export function errorSerializer(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const command = commandName(error);
  if ('command' in serialized) serialized.command = command;
  return serialized;
}
