import { DiscordAPIError, HTTPError } from 'discord.js';

/** Discord's JSON error codes this adapter acts on. */
export const DiscordCode = {
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  RequestEntityTooLarge: 40005,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
} as const;

/**
 * A failed call to Discord, safe to log: what was being done, the status and Discord's code and
 * message. discord.js's own errors carry the request URL, and an interaction route's URL holds the
 * interaction token: they never leave this module as they are.
 */
export class DiscordCallError extends Error {
  override readonly name = 'DiscordCallError';
  constructor(
    readonly what: string,
    readonly status: number | undefined,
    readonly discordCode: number | undefined,
    message: string,
  ) {
    super(`${what} failed: ${status ?? 'no answer'}${discordCode ? `/${discordCode}` : ''} ${message}`);
  }
}

/** Runs one call to Discord; any failure comes back as a DiscordCallError. */
export async function callDiscord<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      const code = typeof error.code === 'number' ? error.code : undefined;
      // Discord's own message: "Invalid Webhook Token"; error.message is the same, never the URL.
      throw new DiscordCallError(what, error.status, code, error.message);
    }
    if (error instanceof HTTPError) throw new DiscordCallError(what, error.status, undefined, error.name);
    // Network errors and discord.js's own ("Expected token to be set…") carry no URL.
    const message = error instanceof Error ? error.message : String(error);
    throw new DiscordCallError(what, undefined, undefined, message);
  }
}

/** An interaction token that no longer works (15 minutes passed, or Discord forgot it). */
export function isExpiredToken(error: unknown): boolean {
  return (
    error instanceof DiscordCallError &&
    (error.discordCode === DiscordCode.InvalidWebhookToken ||
      error.discordCode === DiscordCode.UnknownWebhook ||
      error.discordCode === DiscordCode.UnknownInteraction ||
      error.status === 401)
  );
}

/** The bot may not post there (no access to the channel, or the user takes no DMs from it). */
export function isNoAccess(error: unknown): boolean {
  return (
    error instanceof DiscordCallError &&
    (error.discordCode === DiscordCode.MissingAccess ||
      error.discordCode === DiscordCode.MissingPermissions ||
      error.discordCode === DiscordCode.CannotSendToUser)
  );
}

/** The message is gone already (deleted by someone else): nothing left to edit or delete. */
export function isGone(error: unknown): boolean {
  return error instanceof DiscordCallError && error.discordCode === DiscordCode.UnknownMessage;
}

/** Discord refused the bot token itself: retrying would only count towards an IP ban. */
export function isBotTokenRefused(error: unknown): boolean {
  return error instanceof DiscordCallError && (error.status === 401 || /Expected token/.test(error.message));
}
