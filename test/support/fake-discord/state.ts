import { Snowflakes } from './snowflakes.ts';
import type { FakeAttachment, FakeCallback, FakeGuild, FakeMessage, FakeScheduledEvent } from './types.ts';

/** Discord's default upload limit, used for DMs and guilds that name none. */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
/** Interaction tokens die 15 minutes after the interaction (discord-api-docs, "Responding to an Interaction"). */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
/** The initial response must come within 3 s of the interaction. */
export const INTERACTION_RESPONSE_WINDOW_MS = 3_000;

export interface UserRecord {
  id: string;
  username: string;
  bot: boolean;
}

export interface GuildRecord {
  id: string;
  name: string;
  channelIds: string[];
  attachmentSizeLimit: number;
  joinedAt: string;
}

export interface ChannelRecord {
  id: string;
  /** 0: guild text, 1: DM. */
  type: 0 | 1;
  name?: string;
  guildId?: string;
  position: number;
  recipientId?: string;
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2: application command, 3: message component. */
  type: 2 | 3;
  userId: string;
  guildId?: string;
  channelId: string;
  createdAt: number;
  attachmentSizeLimit: number;
  commandName?: string;
  /** For a button press: the message the button is on. */
  pressedMessageId?: string;
  callbackType?: number;
  /** The message `@original` names once the interaction is answered. */
  originalMessageId?: string;
  expired: boolean;
  /** The INTERACTION_CREATE payload, kept for `interaction_metadata`. */
  payload: Record<string, unknown>;
}

/** A message with what the fake needs beyond the public view. */
export interface MessageRecord extends FakeMessage {
  type: number;
  createdAt: number;
  /** Set on interaction responses, which Discord sends as webhook messages of the application. */
  webhookId?: string;
}

/**
 * Everything the fake Discord remembers: guilds, channels, users, messages, interactions, commands,
 * scheduled events.
 */
export class FakeState {
  readonly ids = new Snowflakes();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly histories = new Map<string, FakeMessage[]>();
  readonly attachments = new Map<string, FakeAttachment>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly commandIds = new Map<string, string>();
  readonly deniedChannels = new Set<string>();
  /** Every guild's scheduled events, in creation order. */
  readonly scheduledEvents = new Map<string, FakeScheduledEvent>();
  readonly callbacks: FakeCallback[] = [];

  constructor(
    readonly applicationId: string,
    readonly botUserId: string,
    guilds: FakeGuild[],
  ) {
    this.users.set(botUserId, { id: botUserId, username: 'clipbot', bot: true });
    const joinedAt = new Date().toISOString();
    for (const guild of guilds) {
      this.guilds.set(guild.id, {
        id: guild.id,
        name: guild.name ?? `guild ${guild.id.slice(-4)}`,
        channelIds: guild.channels.map((channel) => channel.id),
        attachmentSizeLimit: guild.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_LIMIT,
        joinedAt,
      });
      for (const [position, channel] of guild.channels.entries()) {
        this.channels.set(channel.id, {
          id: channel.id,
          type: 0,
          name: channel.name ?? `channel-${position}`,
          guildId: guild.id,
          position,
        });
      }
    }
  }

  /** A user acting; the first name given sticks unless a later action names another. */
  user(id: string, username?: string): UserRecord {
    const known = this.users.get(id);
    if (known && (username === undefined || known.username === username)) return known;
    const user = { id, username: username ?? known?.username ?? `user${id.slice(-4)}`, bot: false };
    this.users.set(id, user);
    return user;
  }

  /** The bot's DM channel with a user: one per user, as Discord keeps it. */
  dmChannelFor(userId: string): ChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.type === 1 && channel.recipientId === userId) return channel;
    }
    const channel: ChannelRecord = { id: this.ids.next(), type: 1, recipientId: userId, position: 0 };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The upload limit of a channel: its guild's, or the default in DMs. */
  attachmentLimitOf(channelId: string): number {
    const guildId = this.channels.get(channelId)?.guildId;
    return (guildId && this.guilds.get(guildId)?.attachmentSizeLimit) || DEFAULT_ATTACHMENT_LIMIT;
  }

  commandId(name: string): string {
    let id = this.commandIds.get(name);
    if (!id) {
      id = this.ids.next();
      this.commandIds.set(name, id);
    }
    return id;
  }

  /** Stores a new message state and appends it to the message's history. */
  record(message: MessageRecord): void {
    this.messages.set(message.id, message);
    const history = this.histories.get(message.id) ?? [];
    history.push(snapshot(message));
    this.histories.set(message.id, history);
    for (const attachment of message.attachments) this.attachments.set(attachment.id, attachment);
  }

  /** A live (not deleted) message, or undefined. */
  liveMessage(id: string): MessageRecord | undefined {
    const message = this.messages.get(id);
    return message && !message.deleted ? message : undefined;
  }
}

/** A copy of the public view of one message state (buffers shared: nothing mutates them). */
export function snapshot(message: MessageRecord): FakeMessage {
  const view: FakeMessage = {
    id: message.id,
    channelId: message.channelId,
    authorId: message.authorId,
    content: message.content,
    components: structuredClone(message.components),
    embeds: structuredClone(message.embeds),
    attachments: message.attachments.map((attachment) => ({ ...attachment })),
    flags: message.flags,
    mentions: structuredClone(message.mentions),
  };
  if (message.ephemeralTo !== undefined) view.ephemeralTo = message.ephemeralTo;
  if (message.allowedMentions !== undefined) view.allowedMentions = structuredClone(message.allowedMentions);
  if (message.interactionId !== undefined) view.interactionId = message.interactionId;
  if (message.deleted) view.deleted = true;
  if (message.editedAt !== undefined) view.editedAt = message.editedAt;
  return view;
}
