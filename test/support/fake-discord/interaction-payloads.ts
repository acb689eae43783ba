import { randomBytes } from 'node:crypto';
import {
  BOT_PERMISSIONS,
  channelPayload,
  DENIED_BOT_PERMISSIONS,
  memberPayload,
  messagePayload,
  PLAIN_MEMBER_PERMISSIONS,
  userPayload,
} from './payloads.ts';
import type { ChannelRecord, FakeState, InteractionRecord, MessageRecord } from './state.ts';
import type { SlashCommandOption } from './types.ts';

interface Actor {
  userId: string;
  username?: string;
  memberPermissions?: string;
}

/** Where an interaction happens and with which upload limit. */
interface Place {
  channel: ChannelRecord;
  attachmentSizeLimit: number;
}

type Uploaded = Extract<SlashCommandOption, { type: 11 }>;

/**
 * The files a user uploads with a command, stored on the fake's CDN as Discord stores them
 * (`/ephemeral-attachments/{application}/{attachment}/{filename}?ex=…&is=…&hm=…`), each option's
 * value replaced by the attachment's id; the attachment objects go in `data.resolved.attachments`.
 */
function uploadAttachments(
  state: FakeState,
  options: SlashCommandOption[],
  origin: string,
): { options: SlashCommandOption[]; resolved: Record<string, unknown> } {
  const resolved: Record<string, unknown> = {};
  const sent = options.map((option): SlashCommandOption => {
    if (!('file' in option)) return option;
    const { filename, bytes, contentType, expiresInS = 86_400 } = (option as Uploaded).file;
    const id = state.ids.next();
    const now = Math.floor(Date.now() / 1000);
    const signature = `ex=${(now + expiresInS).toString(16)}&is=${now.toString(16)}&hm=${randomBytes(32).toString('hex')}`;
    const url = `${origin}/ephemeral-attachments/${state.applicationId}/${id}/${encodeURIComponent(filename)}?${signature}`;
    state.attachments.set(id, {
      id,
      filename,
      size: bytes.length,
      url,
      bytes,
      ...(contentType ? { contentType } : {}),
    });
    resolved[id] = {
      id,
      filename,
      size: bytes.length,
      url,
      proxy_url: url.replace('/ephemeral-attachments/', '/media-proxy/ephemeral-attachments/'),
      ...(contentType ? { content_type: contentType } : {}),
      ephemeral: true,
    };
    return { name: option.name, type: 11, value: id };
  });
  return { options: sent, resolved };
}

/**
 * The INTERACTION_CREATE payload for a chat-input command, with every field discord.js 14.28 reads
 * unconditionally (entitlements, authorizing_integration_owners, member.user or user, app_permissions…).
 */
export function commandInteraction(
  state: FakeState,
  actor: Actor,
  place: Place,
  command: { name: string; options?: SlashCommandOption[] },
  origin: string,
): InteractionRecord {
  const data: Record<string, unknown> = { id: state.commandId(command.name), name: command.name, type: 1 };
  if (command.options?.length) {
    checkOptions(command.options, 'command');
    const { options, resolved } = uploadAttachments(state, command.options, origin);
    data.options = structuredClone(options);
    if (Object.keys(resolved).length > 0) data.resolved = { attachments: resolved };
  }
  const guildCommands = place.channel.guildId ? state.commands.get(place.channel.guildId) : undefined;
  if (guildCommands?.some((registered) => registered.name === command.name))
    data.guild_id = place.channel.guildId;
  const record = base(state, actor, place, 2, data);
  record.commandName = command.name;
  return record;
}

/**
 * Discord's nesting in a used command: a subcommand (type 1) or a group (type 2) holding one
 * subcommand comes alone and carries `options`, never `value`; a subcommand holds values only.
 */
function checkOptions(options: SlashCommandOption[], parent: 'command' | 'group' | 'subcommand'): void {
  const nested = options.filter(
    (option): option is Extract<SlashCommandOption, { type: 1 | 2 }> =>
      !('value' in option || 'file' in option),
  );
  const [option] = nested;
  if (!option) {
    if (parent === 'group') throw new Error('fake-discord: a used subcommand group holds one subcommand');
    return;
  }
  if (parent === 'subcommand') throw new Error('fake-discord: a subcommand holds values only');
  if (options.length !== 1) throw new Error('fake-discord: a used subcommand or group comes alone');
  const kind = option.type === 1 ? 'subcommand' : option.type === 2 && parent === 'command' ? 'group' : null;
  if (!kind) throw new Error(`fake-discord: option ${option.name} of type ${option.type} cannot nest here`);
  checkOptions(option.options ?? [], kind);
}

/** The INTERACTION_CREATE payload for a button press on a message. */
export function buttonInteraction(
  state: FakeState,
  actor: Actor,
  place: Place,
  message: MessageRecord,
  customId: string,
): InteractionRecord {
  const record = base(state, actor, place, 3, { custom_id: customId, component_type: 2 });
  record.payload.message = messagePayload(state, message);
  record.pressedMessageId = message.id;
  return record;
}

function base(
  state: FakeState,
  actor: Actor,
  place: Place,
  type: 2 | 3,
  data: Record<string, unknown>,
): InteractionRecord {
  const user = state.user(actor.userId, actor.username);
  const { channel } = place;
  const guild = channel.guildId ? state.guilds.get(channel.guildId) : undefined;
  const id = state.ids.next();
  const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString(
    'base64url',
  );
  const permissions = actor.memberPermissions ?? PLAIN_MEMBER_PERMISSIONS;
  const payload: Record<string, unknown> = {
    id,
    application_id: state.applicationId,
    type,
    data,
    token,
    version: 1,
    locale: 'en-US',
    entitlements: [],
    attachment_size_limit: place.attachmentSizeLimit,
    app_permissions: state.deniedChannels.has(channel.id) ? DENIED_BOT_PERMISSIONS : BOT_PERMISSIONS,
    channel_id: channel.id,
  };
  if (guild) {
    Object.assign(payload, {
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      member: memberPayload(user, guild.joinedAt, permissions),
      channel: { ...channelPayload(state, channel), permissions },
      // 0 = GUILD: used in a guild; the guild-install owner is that guild.
      context: 0,
      authorizing_integration_owners: { '0': guild.id },
    });
  } else {
    Object.assign(payload, {
      user: userPayload(user),
      channel: channelPayload(state, channel),
      // 1 = BOT_DM; a guild-installed app used in its bot's DM has owner "0".
      context: 1,
      authorizing_integration_owners: { '0': '0' },
    });
  }
  const record: InteractionRecord = {
    id,
    token,
    type,
    userId: user.id,
    channelId: channel.id,
    createdAt: Date.now(),
    attachmentSizeLimit: place.attachmentSizeLimit,
    expired: false,
    payload,
  };
  if (guild) record.guildId = guild.id;
  return record;
}
