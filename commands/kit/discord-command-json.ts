import type { CommandDefinition, CommandOption, OptionType } from './command-definition.ts';

/** Discord's application command option types that clipbot uses (STRING, INTEGER, BOOLEAN, NUMBER, ATTACHMENT). */
export const DISCORD_OPTION_TYPE = {
  string: 3,
  integer: 4,
  boolean: 5,
  number: 10,
  image: 11,
} as const satisfies Record<OptionType, number>;

/** SUB_COMMAND: an option that is a verb holding its own options. */
export const DISCORD_SUB_COMMAND = 1;

/** One option of a Discord application command, as the REST API takes it: a value, or a verb. */
export interface DiscordCommandOption {
  type: (typeof DISCORD_OPTION_TYPE)[OptionType] | typeof DISCORD_SUB_COMMAND;
  name: string;
  description: string;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  choices?: { name: string; value: string }[];
  /** A SUB_COMMAND's own options. */
  options?: DiscordCommandOption[];
}

/** A CHAT_INPUT (slash) command, as `PUT /applications/{id}/commands` takes it. */
export interface DiscordApplicationCommand {
  /** 1: CHAT_INPUT. */
  type: 1;
  name: string;
  description: string;
  options: DiscordCommandOption[];
  /**
   * Permissions a member needs to see the command, as a decimal bit set ("32": Manage Server);
   * server admins may change it. Absent: everyone.
   */
  default_member_permissions?: string;
  /** Deprecated by `contexts`, still read by older clients. */
  dm_permission: boolean;
  /** Interaction contexts: 0 GUILD, 1 BOT_DM. */
  contexts: number[];
  /** Installation contexts: 0 GUILD_INSTALL. */
  integration_types: number[];
}

function discordOption(option: CommandOption): DiscordCommandOption {
  const { name, description, required, min, max, minLength, maxLength, choices } = option;
  return {
    type: DISCORD_OPTION_TYPE[option.type],
    name,
    description,
    ...(required ? { required: true } : {}),
    ...(min !== undefined ? { min_value: min } : {}),
    ...(max !== undefined ? { max_value: max } : {}),
    ...(minLength !== undefined ? { min_length: minLength } : {}),
    ...(maxLength !== undefined ? { max_length: maxLength } : {}),
    ...(choices?.length
      ? { choices: choices.map((c) => ({ name: c.label ?? c.value, value: c.value })) }
      : {}),
  };
}

/** Required options first, as Discord demands; the others keep their order. */
function discordOptions(options: readonly CommandOption[]): DiscordCommandOption[] {
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)].map(discordOption);
}

/** Discord's permission bits for {@link CommandDefinition.memberPermissions}: MANAGE_GUILD is 1 << 5. */
const PERMISSION_BITS = { 'manage-guild': 1n << 5n } as const;

/**
 * The command as Discord registers it: installed to servers, usable in servers and in DMs with the
 * bot unless the definition is `guildOnly`, hidden from members without the definition's
 * `memberPermissions`. Required options come first, as Discord demands; the others keep their order.
 */
export function discordCommandJson(definition: CommandDefinition): DiscordApplicationCommand {
  const options = definition.subcommands?.length
    ? definition.subcommands.map(
        (verb): DiscordCommandOption => ({
          type: DISCORD_SUB_COMMAND,
          name: verb.name,
          description: verb.description,
          options: discordOptions(verb.options),
        }),
      )
    : discordOptions(definition.options);
  return {
    type: 1,
    name: definition.name,
    description: definition.description,
    options,
    ...(definition.memberPermissions
      ? { default_member_permissions: PERMISSION_BITS[definition.memberPermissions].toString() }
      : {}),
    dm_permission: !definition.guildOnly,
    contexts: definition.guildOnly ? [0] : [0, 1],
    integration_types: [0],
  };
}
