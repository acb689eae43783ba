import { z } from 'zod';
import {
  type CommandModule,
  type DiscordApplicationCommand,
  discordCommandJson,
  type ModelFacts,
} from '../../commands/index.ts';

/** Discord's REST API, version 10. */
export const DISCORD_API_URL = 'https://discord.com/api/v10';

/** A Discord id (snowflake): 17 to 20 digits. */
export const snowflakeSchema = z.string().regex(/^\d{17,20}$/, 'a Discord id is 17 to 20 digits');

/** The JSON of every command, for the model these facts describe, in name order. */
export function commandsJson(
  commands: Iterable<CommandModule>,
  facts: ModelFacts,
): DiscordApplicationCommand[] {
  return [...commands]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((command) => discordCommandJson(command.define(facts)));
}

/** Where to PUT the whole command list: global, or one guild's (which updates at once, for testing). */
export function commandsUrl(apiUrl: string, applicationId: string, guildId?: string): string {
  const base = `${apiUrl.replace(/\/+$/, '')}/applications/${applicationId}`;
  return guildId ? `${base}/guilds/${guildId}/commands` : `${base}/commands`;
}

/** A failed call, with Discord's own explanation; the token is never part of it. */
async function failure(response: Response, what: string): Promise<Error> {
  const body = (await response.text()).slice(0, 2_000);
  const hint =
    response.status === 401 || response.status === 403
      ? ' (check DISCORD_TOKEN: a bot token of this application)'
      : '';
  return new Error(`${what} failed: HTTP ${response.status}${hint}: ${body}`);
}

const applicationSchema = z.object({ id: snowflakeSchema });
const registeredSchema = z.array(z.object({ id: z.string(), name: z.string() }));

export interface RegisterOptions {
  apiUrl: string;
  token: string;
  /** Asked of Discord (`GET /oauth2/applications/@me`) when unset. */
  applicationId?: string;
  guildId?: string;
  commands: readonly DiscordApplicationCommand[];
  fetch?: typeof fetch;
}

/**
 * Replaces the application's commands (globally, or in one guild) with `commands`: Discord's bulk
 * overwrite, so a command no longer defined disappears. One attempt, never retried, since repeated
 * 401s count towards Discord's invalid-request ban.
 */
export async function registerCommands(
  options: RegisterOptions,
): Promise<{ url: string; registered: { id: string; name: string }[] }> {
  const call = options.fetch ?? fetch;
  const headers = { authorization: `Bot ${options.token}`, 'content-type': 'application/json' };
  let applicationId = options.applicationId;
  if (!applicationId) {
    const url = `${options.apiUrl.replace(/\/+$/, '')}/oauth2/applications/@me`;
    const response = await call(url, { headers });
    if (!response.ok) throw await failure(response, 'GET /oauth2/applications/@me');
    applicationId = applicationSchema.parse(await response.json()).id;
  }
  const url = commandsUrl(options.apiUrl, applicationId, options.guildId);
  const response = await call(url, { method: 'PUT', headers, body: JSON.stringify(options.commands) });
  if (!response.ok) throw await failure(response, `PUT ${url}`);
  return { url, registered: registeredSchema.parse(await response.json()) };
}
