import {
  ApplicationCommandOptionType,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
} from 'discord.js';
import type { OptionValue, OptionValues } from '../../../commands/index.ts';
import type { Requester, TenantRef } from '../../core/index.ts';
import { attachmentImage } from './attachment-image.ts';
import { type DiscordHandle, toReplyHandle } from './discord-handle.ts';

/** Discord's upload limit where the interaction names none (10 MiB). */
export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** A guild is a tenant; a DM is its user's own tenant (`dm:<userId>`), with that user's limits. */
export function tenantOf(interaction: BaseInteraction): TenantRef {
  return { platform: 'discord', id: interaction.guildId ?? `dm:${interaction.user.id}` };
}

/**
 * The person acting: moderators (Manage Messages) may cancel and delete other people's clips, admins
 * (Manage Server) change the server's settings. In a DM, neither.
 */
export function requesterOf(interaction: BaseInteraction): Requester {
  const { user } = interaction;
  const permissions = interaction.inGuild() ? interaction.memberPermissions : null;
  return {
    id: user.id,
    displayName: user.globalName ?? user.username,
    isModerator: permissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
    isAdmin: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** The largest clip this interaction's channel accepts, and never above the operator's budget. */
export function uploadLimitOf(interaction: BaseInteraction, operatorLimit: number): number {
  const platformLimit =
    interaction.attachmentSizeLimit > 0 ? interaction.attachmentSizeLimit : DEFAULT_UPLOAD_LIMIT;
  return Math.min(platformLimit, operatorLimit);
}

/**
 * A command's option values by name, as Discord typed them (the command checks their types), and
 * the subcommand used, whose options Discord nests under it. An attachment's value is the picture,
 * read from Discord's CDN (`apiUrl`'s origin too, for a local Discord) when admission asks for it.
 */
export function optionValues(
  interaction: ChatInputCommandInteraction,
  apiUrl: string,
): {
  values: OptionValues;
  subcommand?: string;
} {
  const values: Record<string, OptionValue> = {};
  const verb = interaction.options.data.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  for (const option of verb ? (verb.options ?? []) : interaction.options.data) {
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment)
      values[option.name] = attachmentImage(option.attachment, apiUrl);
    else if (option.value !== undefined) values[option.name] = option.value;
  }
  return verb ? { values, subcommand: verb.name } : { values };
}

/** The handle of a reply through this interaction's token, received at `receivedAt`. */
export function interactionHandle(
  interaction: BaseInteraction,
  receivedAt: number,
  extra: Pick<DiscordHandle, 'followUp'> = {},
) {
  return toReplyHandle({
    applicationId: interaction.applicationId,
    channelId: interaction.channelId ?? interaction.user.id,
    userId: interaction.user.id,
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
    token: interaction.token,
    tokenAt: receivedAt,
    ...extra,
  });
}
