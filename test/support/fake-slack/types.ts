/** A workspace the app is installed in, with its bot user and channels. */
export interface FakeTeam {
  id: string;
  name?: string;
  /** `xoxb-…`: the bot token of this installation. */
  botToken: string;
  botUserId: string;
  /** The bot is a member of every channel (call `notInChannel` to remove it); `members` lists the users. */
  channels: { id: string; name?: string; members?: string[] }[];
  /** Users that `users.info` reports `is_admin`. */
  admins?: string[];
  /** Users that `users.info` reports `is_owner` (and `is_admin`). */
  owners?: string[];
}

export interface FakeSlackOptions {
  signingSecret: string;
  /** `xapp-…`: enables Socket Mode (`apps.connections.open` accepts only this token). */
  appToken?: string;
  teams?: FakeTeam[];
  appId?: string;
  /** When set, `oauth.v2.access` checks them as Slack does; otherwise any client id and secret pass. */
  clientId?: string;
  clientSecret?: string;
  /** How long after `files.completeUploadExternal` the file's message appears; default 100 ms. */
  fileShareDelayMs?: number;
  /** How long a user waits for the app's ack before Slack gives up; default 3000 ms (Slack's limit). */
  ackTimeoutMs?: number;
  /** Interval of the server's WebSocket pings in Socket Mode; default 5000 ms. */
  socketPingIntervalMs?: number;
  /**
   * Opt-in per-method rate limits (per team), e.g. `{ 'chat.update': { limit: 50, windowMs: 60_000 } }`
   * for Tier 3; an overdrawn method answers HTTP 429 `ratelimited` with Retry-After.
   */
  rateLimits?: Record<string, { limit: number; windowMs: number }>;
}

/** One state of a channel message: the current one from `messages()`, or one step of `history()`. */
export interface FakeSlackMessage {
  ts: string;
  channelId: string;
  threadTs?: string;
  /** The bot user id for the bot's posts. */
  userId?: string;
  text: string;
  blocks: unknown[];
  /** Ids of the files shared in this message. */
  files?: string[];
  deleted?: boolean;
  /** ms since the epoch of the edit that produced this state. */
  editedAt?: number;
  /** Replies in this message's thread (parents only). */
  replyCount?: number;
}

/** An ephemeral message: only `userId` sees it; it cannot be edited through the Web API. */
export interface FakeEphemeral {
  channelId: string;
  userId: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** The `message_ts` Slack gave it; a `response_url` reply that replaces it keeps it. */
  messageTs: string;
  source: 'chat.postEphemeral' | 'response_url' | 'ack';
}

/**
 * A file uploaded through `files.getUploadURLExternal` → upload → `files.completeUploadExternal`, or
 * one a user shared (`FakeSlack#shareFile`).
 */
export interface FakeSlackFile {
  id: string;
  /** The user who shared it; unset for the bot's uploads. */
  userId?: string;
  name: string;
  bytes: Buffer;
  /** Channels it is shared in: empty until its message appears (sharing is asynchronous). */
  channels: string[];
  threadTs?: string;
  permalink: string;
  /** Serves the bytes to a request with the team's bot token, as Slack's `url_private` does. */
  urlPrivate: string;
  title?: string;
  initialComment?: string;
}

/** A user shares a file in a conversation they are in, as their Slack client uploads it. */
export interface ShareFileInput {
  teamId?: string;
  user: string;
  channel: string;
  name: string;
  bytes: Uint8Array;
  /** What the client declared; default: from the name's extension. */
  mimetype?: string;
}

export interface FakeCompletion {
  executionId: string;
  kind: 'success' | 'error';
  outputs?: Record<string, unknown>;
  error?: string;
  /** `bot` or `workflow` (`xwfp-`): which token completed it. */
  tokenKind: 'bot' | 'workflow';
}

/** Every Web API call, in arrival order. */
export interface FakeCall {
  method: string;
  /** The arguments, `token` left out; form values stay strings as sent. */
  args: Record<string, unknown>;
  token?: string;
  status: number;
  ok: boolean;
  error?: string;
  /** ms since the epoch when the call arrived. */
  at: number;
}

/** What the app answered to one delivery (HTTP response, or the Socket Mode ack). */
export interface FakeAck {
  /** HTTP status; 200 for a Socket Mode ack; 0 when no answer came within the ack timeout. */
  status: number;
  /** The HTTP body, or the ack's envelope payload as JSON (`''` for an empty payload). */
  body: string;
  afterMs: number;
  timedOut: boolean;
}

/** One request into the app: a slash command, an interaction or an Events API event. */
export interface FakeDelivery {
  kind: 'slash_commands' | 'interactive' | 'events_api';
  transport: 'http' | 'socket';
  /** `trigger_id` for commands and interactions, `event_id` for events. */
  id: string;
  retryNum: number;
  ack: FakeAck;
  at: number;
}

export interface SlashCommandInput {
  teamId?: string;
  userId: string;
  channelId: string;
  /** Default `/video`. */
  command?: string;
  text: string;
  username?: string;
}

export interface ButtonPressInput {
  teamId?: string;
  userId: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  /** When given, must equal the button's value (Slack sends the button's own value). */
  value?: string;
  username?: string;
}

export interface WorkflowStepInput {
  teamId?: string;
  callbackId: string;
  inputs: Record<string, unknown>;
  /**
   * The user who ran the workflow. Slack's `function_executed` event names no user, so neither does the
   * fake's: a workflow passes users to a step through its inputs (e.g. `{ user_id }`).
   */
  userId?: string;
  title?: string;
}

export interface Interaction {
  triggerId: string;
  responseUrl: string;
  ack: FakeAck;
}
