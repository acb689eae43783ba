/** A guild the fake knows about, with its text channels. */
export interface FakeGuild {
  id: string;
  name?: string;
  channels: { id: string; name?: string }[];
  /** Bytes; default 10 MiB (Discord's default upload limit). */
  attachmentSizeLimit?: number;
}

/** One attachment as the fake stores it: the bytes are served at `url`. */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  bytes: Buffer;
  contentType?: string;
}

/** Who a message really pinged, after `allowed_mentions` was applied (Discord's own rules). */
export interface FakeMentions {
  everyone: boolean;
  users: string[];
  roles: string[];
}

/** One state of a message: the current one from `messages()`, or one step of `history()`. */
export interface FakeMessage {
  id: string;
  channelId: string;
  authorId: string;
  content: string;
  components: unknown[];
  embeds: unknown[];
  attachments: FakeAttachment[];
  flags: number;
  /** Set on ephemeral messages: the only user who sees them. */
  ephemeralTo?: string;
  /** The `allowed_mentions` of the create or edit that produced this state. */
  allowedMentions?: unknown;
  mentions: FakeMentions;
  /** The interaction whose response (original or follow-up) this message is. */
  interactionId?: string;
  deleted?: boolean;
  /** ms since the epoch of the edit that produced this state. */
  editedAt?: number;
}

/** One uploaded file of a REST request. */
export interface RecordedFile {
  /** The multipart field, e.g. `files[0]`. */
  field: string;
  name: string;
  bytes: Buffer;
  contentType: string;
}

/** Every REST request the fake answered, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Percent-decoded, without the `/api/v10` prefix: `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** `bot`: `Bot <the token>`; `none`: no Authorization header; `wrong`: anything else. */
  auth: 'bot' | 'none' | 'wrong';
  /** The JSON body (`payload_json` parsed for multipart), or undefined. */
  body: unknown;
  files: RecordedFile[];
  /** The status answered; 0 while the request is still being handled. */
  status: number;
  /** ms since the epoch when the request arrived. */
  at: number;
}

/** An accepted interaction response (POST /interactions/{id}/{token}/callback). */
export interface FakeCallback {
  interactionId: string;
  type: number;
  flags?: number;
  /** ms between the user's action (the dispatch) and this callback. */
  afterMs: number;
}

/**
 * One option of a used command, as Discord nests them: a value, or a subcommand (type 1) or
 * subcommand group (type 2) holding its own options, e.g. `{ name: 'add', type: 1, options: [...] }`.
 */
export type SlashCommandOption =
  | { name: string; type: number; value: string | number | boolean }
  | { name: string; type: 1 | 2; options?: SlashCommandOption[] }
  /**
   * An ATTACHMENT option as the user fills it: a file they upload with the command. The fake stores
   * it on its CDN and sends what Discord sends: the attachment's id as the value, the attachment in
   * `data.resolved.attachments`.
   */
  | {
      name: string;
      type: 11;
      /** `expiresInS`: the signed link's life (default a day); ≤ 0 gives a link already expired. */
      file: { filename: string; bytes: Buffer; contentType?: string; expiresInS?: number };
    };

export interface SlashCommandInput {
  userId: string;
  /** Undefined: the command is used in the bot's DM with the user. */
  guildId?: string;
  channelId?: string;
  name: string;
  options?: SlashCommandOption[];
  /** Bitfield as a decimal string; default: a plain member (send messages etc., no Manage Server). */
  memberPermissions?: string;
  /** Overrides the guild's limit in the payload and for uploads through this interaction's token. */
  attachmentSizeLimit?: number;
  username?: string;
}

export interface ButtonPressInput {
  userId: string;
  messageId: string;
  customId: string;
  memberPermissions?: string;
  username?: string;
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botUserId?: string;
  guilds?: FakeGuild[];
  /** Gateway HELLO heartbeat_interval; default 1000 ms (Discord sends 41250) to keep tests short. */
  heartbeatIntervalMs?: number;
  /** Requests per bucket (route and major parameter) per window, announced in X-RateLimit-*; default 50 per 1 s. */
  rateLimit?: { limit: number; windowMs: number };
}

/** 1 SCHEDULED, 2 ACTIVE, 3 COMPLETED, 4 CANCELED (discord-api-docs, "Guild Scheduled Event"). */
export type ScheduledEventStatus = 1 | 2 | 3 | 4;

/** A guild scheduled event as the fake keeps it; the Gateway and REST carry it in Discord's snake_case. */
export interface FakeScheduledEvent {
  id: string;
  guildId: string;
  /** Null for an EXTERNAL event. */
  channelId: string | null;
  creatorId: string;
  name: string;
  description: string | null;
  /** ISO 8601. */
  scheduledStartTime: string;
  /** ISO 8601; always set for an EXTERNAL event. */
  scheduledEndTime: string | null;
  /** 2 GUILD_ONLY, the only level Discord has. */
  privacyLevel: 2;
  status: ScheduledEventStatus;
  /** 1 STAGE_INSTANCE, 2 VOICE, 3 EXTERNAL. */
  entityType: 1 | 2 | 3;
  entityId: string | null;
  /** `{ location }` for an EXTERNAL event, null otherwise. */
  entityMetadata: { location: string } | null;
  userCount: number;
}

/** A member creates a scheduled event in a guild (as with Discord's "Create Event"). */
export interface ScheduledEventInput {
  guildId: string;
  name: string;
  description?: string;
  /** Must lie in the future, as Discord requires. */
  startsAt: Date | number;
  /** Default for an EXTERNAL event: one hour after the start (Discord requires an end for those). */
  endsAt?: Date | number;
  /** Default: the owner of the fake's guilds. */
  creatorId?: string;
  /** Default: 2 VOICE when `channelId` is given, else 3 EXTERNAL. */
  entityType?: 1 | 2 | 3;
  /** For STAGE_INSTANCE and VOICE events: a channel of the guild. */
  channelId?: string;
  /** For an EXTERNAL event; default 'Online'. */
  location?: string;
}

/** What `updateScheduledEvent` may change; status moves 1→2, 2→3 or 1→4 only, as Discord allows. */
export interface ScheduledEventChanges {
  name?: string;
  description?: string | null;
  /** A set end moves with the start (the event keeps its length) unless `endsAt` is given. */
  startsAt?: Date | number;
  endsAt?: Date | number;
  status?: ScheduledEventStatus;
}
