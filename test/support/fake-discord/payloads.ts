import type {
  ChannelRecord,
  FakeState,
  GuildRecord,
  InteractionRecord,
  MessageRecord,
  UserRecord,
} from './state.ts';

/** The user who owns the application and every fake guild. */
export const OWNER_ID = '100000000000000001';

/** Permission bits (discord-api-docs, "Permissions"), as the decimal strings Discord sends. */
const P = {
  createInstantInvite: 1n << 0n,
  addReactions: 1n << 6n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readMessageHistory: 1n << 16n,
  useExternalEmojis: 1n << 18n,
  connect: 1n << 20n,
  speak: 1n << 21n,
  changeNickname: 1n << 26n,
  useApplicationCommands: 1n << 31n,
  sendMessagesInThreads: 1n << 38n,
};
const PLAIN = Object.values(P).reduce((all, bit) => all | bit, 0n);
/** A plain member: may talk, post files and use commands; no Manage Server, no Manage Messages. */
export const PLAIN_MEMBER_PERMISSIONS = PLAIN.toString();
/** The bot in a channel it may post in, and in one denied to it. */
export const BOT_PERMISSIONS = PLAIN.toString();
export const DENIED_BOT_PERMISSIONS = (PLAIN & ~(P.viewChannel | P.sendMessages)).toString();

export function userPayload(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.bot ? null : user.username,
    avatar: null,
    avatar_decoration_data: null,
    public_flags: 0,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** The bot's own user, as READY and GET /users/@me carry it. */
export function selfUserPayload(state: FakeState): Record<string, unknown> {
  const bot = state.users.get(state.botUserId) as UserRecord;
  return { ...userPayload(bot), verified: true, mfa_enabled: false, email: null, flags: 0 };
}

export function memberPayload(
  user: UserRecord,
  joinedAt: string,
  permissions?: string,
): Record<string, unknown> {
  return {
    user: userPayload(user),
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

export function channelPayload(state: FakeState, channel: ChannelRecord): Record<string, unknown> {
  if (channel.type === 1) {
    const recipient = state.user(channel.recipientId ?? '');
    return { id: channel.id, type: 1, flags: 0, last_message_id: null, recipients: [userPayload(recipient)] };
  }
  return {
    id: channel.id,
    type: 0,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** GUILD_CREATE for a guild the bot is in: discord.js waits for one per READY guild before clientReady. */
export function guildCreatePayload(
  state: FakeState,
  guild: GuildRecord,
  scheduledEvents: Record<string, unknown>[],
): Record<string, unknown> {
  const bot = state.users.get(state.botUserId) as UserRecord;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: OWNER_ID,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    features: [],
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    // The @everyone role's id is the guild's id.
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        color: 0,
        colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: PLAIN_MEMBER_PERMISSIONS,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: 2,
    members: [memberPayload(bot, guild.joinedAt)],
    channels: guild.channelIds.map((id) => {
      const { guild_id: _guildId, ...channel } = channelPayload(
        state,
        state.channels.get(id) as ChannelRecord,
      );
      return channel;
    }),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    // Sent whatever the intents (only GUILD_SCHEDULED_EVENT_* dispatches need GUILD_SCHEDULED_EVENTS).
    guild_scheduled_events: scheduledEvents,
    soundboard_sounds: [],
  };
}

export function applicationPayload(state: FakeState): Record<string, unknown> {
  return {
    id: state.applicationId,
    name: 'clipbot',
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: userPayload({ id: OWNER_ID, username: 'owner', bot: false }),
    bot: userPayload(state.users.get(state.botUserId) as UserRecord),
    approximate_guild_count: state.guilds.size,
    integration_types_config: { '0': {} },
    redirect_uris: [],
    interactions_endpoint_url: null,
    tags: [],
  };
}

/** A complete message object, as REST answers and Gateway events carry it. */
export function messagePayload(state: FakeState, message: MessageRecord): Record<string, unknown> {
  const author = state.users.get(message.authorId) ?? state.user(message.authorId);
  // Only an original response names its interaction; follow-ups and the pressed message do not.
  const interaction = interactionOf(state, message.interactionId);
  const original =
    interaction?.originalMessageId === message.id && interaction.pressedMessageId !== message.id;
  const ephemeral = Boolean(message.ephemeralTo);
  return {
    id: message.id,
    channel_id: message.channelId,
    author: userPayload(author),
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === undefined ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: message.mentions.everyone,
    mentions: message.mentions.users.map((id) => userPayload(state.user(id))),
    mention_roles: message.mentions.roles,
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      url: attachment.url,
      proxy_url: attachment.url,
      content_type: attachment.contentType,
      ...(ephemeral ? { ephemeral: true } : {}),
    })),
    embeds: message.embeds,
    components: message.components,
    flags: message.flags,
    type: message.type,
    pinned: false,
    ...(message.webhookId ? { webhook_id: message.webhookId, application_id: state.applicationId } : {}),
    ...(interaction && original ? interactionMetadata(state, interaction) : {}),
  };
}

function interactionOf(state: FakeState, id: string | undefined): InteractionRecord | undefined {
  if (!id) return undefined;
  for (const interaction of state.interactionsByToken.values()) if (interaction.id === id) return interaction;
  return undefined;
}

function interactionMetadata(state: FakeState, interaction: InteractionRecord): Record<string, unknown> {
  const user = userPayload(state.user(interaction.userId));
  const owners = interaction.payload.authorizing_integration_owners;
  const metadata =
    interaction.type === 2
      ? {
          id: interaction.id,
          type: 2,
          user,
          authorizing_integration_owners: owners,
          name: interaction.commandName,
          command_type: 1,
        }
      : {
          id: interaction.id,
          type: 3,
          user,
          authorizing_integration_owners: owners,
          interacted_message_id: interaction.pressedMessageId,
        };
  return {
    interaction_metadata: metadata,
    interaction: { id: interaction.id, type: interaction.type, name: interaction.commandName ?? '', user },
  };
}
