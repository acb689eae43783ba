import { Ids, secret } from './ids.ts';
import type { FakeCompletion, FakeEphemeral, FakeSlackMessage, FakeTeam } from './types.ts';

/** response_url: 30 minutes and 5 uses (docs.slack.dev, "Handling user interaction"). */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
export const RESPONSE_URL_USES = 5;
/** Workflow tokens die when their step completes or 15 minutes after they were issued. */
export const WORKFLOW_TOKEN_LIFETIME_MS = 15 * 60_000;

export interface TeamRecord {
  id: string;
  name: string;
  domain: string;
  botToken: string;
  botUserId: string;
  botId: string;
  admins: Set<string>;
  owners: Set<string>;
}

export interface ChannelRecord {
  id: string;
  teamId: string;
  name?: string;
  kind: 'channel' | 'im' | 'mpim';
  /** Users who can see it; undefined: everyone in the team. */
  members?: Set<string>;
  botIsMember: boolean;
}

export interface MessageRecord extends FakeSlackMessage {
  teamId: string;
  botId?: string;
}

export interface FileRecord {
  id: string;
  teamId: string;
  name: string;
  length: number;
  title?: string;
  bytes?: Buffer;
  completed: boolean;
  createdAt: number;
  /** Set once shared: where its message is. */
  shares: { channelId: string; ts: string; threadTs?: string }[];
  threadTs?: string;
  initialComment?: string;
  /** A user's file (FakeSlack#shareFile): who shared it. Unset: the bot's upload. */
  userId?: string;
  /** As the user's client declared it; unset: from the name's extension. */
  mimetype?: string;
  /** Deleted by its user: files.info answers `file_deleted`, downloads 404. */
  deleted?: boolean;
}

export interface ExecutionRecord {
  id: string;
  workflowExecutionId: string;
  teamId: string;
  callbackId: string;
  token: string;
  issuedAt: number;
  completed?: 'success' | 'error';
}

export interface ResponseUrlRecord {
  id: string;
  teamId: string;
  channelId: string;
  userId: string;
  createdAt: number;
  uses: number;
  /** The message a button was pressed on; undefined for slash commands. */
  source?: { messageTs: string; isEphemeral: boolean };
}

/** What a token is: a team's bot token, a workflow step's token, or the app-level token. */
export type Caller =
  | { kind: 'bot'; team: TeamRecord }
  | { kind: 'workflow'; team: TeamRecord; execution: ExecutionRecord }
  | { kind: 'app' };

/** Everything the fake Slack remembers. */
export class FakeState {
  readonly ids = new Ids();
  readonly teams = new Map<string, TeamRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly histories = new Map<string, FakeSlackMessage[]>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FileRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly installCodes = new Map<string, string>();
  readonly completions: FakeCompletion[] = [];
  /** Added to Date.now() for lifetimes (response_url, workflow tokens); see FakeSlack#advanceTime. */
  clockOffsetMs = 0;

  constructor(
    readonly appId: string,
    readonly appToken: string | undefined,
    teams: FakeTeam[],
  ) {
    for (const [index, team] of teams.entries()) {
      const name = team.name ?? `Team ${team.id}`;
      this.teams.set(team.id, {
        id: team.id,
        name,
        domain: name.toLowerCase().replace(/[^a-z0-9]+/g, '-') || team.id.toLowerCase(),
        botToken: team.botToken,
        botUserId: team.botUserId,
        botId: `B${String(index + 1).padStart(10, '0')}`,
        admins: new Set([...(team.admins ?? []), ...(team.owners ?? [])]),
        owners: new Set(team.owners ?? []),
      });
      for (const channel of team.channels) {
        this.channels.set(channel.id, {
          id: channel.id,
          teamId: team.id,
          name: channel.name ?? channel.id.toLowerCase(),
          kind: channel.id.startsWith('D') ? 'im' : 'channel',
          ...(channel.members ? { members: new Set(channel.members) } : {}),
          botIsMember: true,
        });
      }
    }
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  team(teamId?: string): TeamRecord {
    const team = teamId === undefined ? this.teams.values().next().value : this.teams.get(teamId);
    if (!team) throw new Error(`fake-slack: unknown team ${String(teamId)}`);
    return team;
  }

  /** Who a token belongs to, or why it is refused (`invalid_auth`, `token_revoked`, `token_expired`). */
  caller(token: string): Caller | string {
    if (token === this.appToken) return { kind: 'app' };
    for (const team of this.teams.values()) if (team.botToken === token) return { kind: 'bot', team };
    for (const execution of this.executions.values()) {
      if (execution.token !== token) continue;
      if (execution.completed) return 'token_revoked';
      if (this.now() - execution.issuedAt > WORKFLOW_TOKEN_LIFETIME_MS) return 'token_expired';
      return { kind: 'workflow', team: this.team(execution.teamId), execution };
    }
    return 'invalid_auth';
  }

  /** The bot's DM with a user: one per user and team, as Slack keeps it. */
  dmWith(team: TeamRecord, userId: string): ChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.kind === 'im' && channel.teamId === team.id && channel.members?.has(userId)) return channel;
    }
    const channel: ChannelRecord = {
      id: this.ids.next('D'),
      teamId: team.id,
      kind: 'im',
      members: new Set([userId]),
      botIsMember: true,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Stores a new message state and appends it to the message's history. */
  record(message: MessageRecord): void {
    this.messages.set(message.ts, message);
    const history = this.histories.get(message.ts) ?? [];
    history.push(view(message));
    this.histories.set(message.ts, history);
  }

  /** A live (not deleted) message of that channel, or undefined. */
  liveMessage(channelId: string, ts: string): MessageRecord | undefined {
    const message = this.messages.get(ts);
    return message && !message.deleted && message.channelId === channelId ? message : undefined;
  }

  /** Posts a message as the bot; a reply counts on its parent (without changing the parent's history). */
  post(team: TeamRecord, message: Omit<MessageRecord, 'ts' | 'teamId' | 'userId' | 'botId'>): MessageRecord {
    const record: MessageRecord = {
      ...message,
      ts: this.ids.ts(),
      teamId: team.id,
      userId: team.botUserId,
      botId: team.botId,
    };
    this.record(record);
    const parent = record.threadTs === undefined ? undefined : this.messages.get(record.threadTs);
    if (parent && parent.ts !== record.ts) parent.replyCount = (parent.replyCount ?? 0) + 1;
    return record;
  }

  newResponseUrl(record: Omit<ResponseUrlRecord, 'id' | 'createdAt' | 'uses'>): ResponseUrlRecord {
    const full = { ...record, id: secret(), createdAt: this.now(), uses: 0 };
    this.responseUrls.set(full.id, full);
    return full;
  }
}

/** A copy of the public view of one message state. */
export function view(message: MessageRecord): FakeSlackMessage {
  const copy: FakeSlackMessage = {
    ts: message.ts,
    channelId: message.channelId,
    text: message.text,
    blocks: structuredClone(message.blocks),
  };
  if (message.threadTs !== undefined) copy.threadTs = message.threadTs;
  if (message.userId !== undefined) copy.userId = message.userId;
  if (message.files !== undefined) copy.files = [...message.files];
  if (message.deleted) copy.deleted = true;
  if (message.editedAt !== undefined) copy.editedAt = message.editedAt;
  if (message.replyCount !== undefined) copy.replyCount = message.replyCount;
  return copy;
}
