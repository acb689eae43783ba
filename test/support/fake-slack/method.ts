import { SlackApiError } from './api-error.ts';
import type { Caller, ChannelRecord, FakeState, TeamRecord } from './state.ts';

/** What Web API method handlers share: the state, where the fake listens, and its timers. */
export interface ApiContext {
  state: FakeState;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  origin: string;
  fileShareDelayMs: number;
  /** Checked by `oauth.v2.access` when set. */
  clientId?: string;
  clientSecret?: string;
  /** Runs `task` after `ms`; the fake cancels what is still pending when it stops. */
  later(task: () => void, ms: number): void;
}

/** One Web API call after parsing and authentication, as a method handler sees it. */
export interface MethodCall {
  args: Record<string, unknown>;
  /** Undefined only for methods that take no token (`oauth.v2.access`). */
  caller: Caller | undefined;
  /** `Authorization: Basic` credentials, which `oauth.v2.access` accepts. */
  basic?: { user: string; password: string };
}

/** A Web API method: which token it takes (`bot` also takes workflow tokens) and its handler. */
export interface Method {
  auth: 'bot' | 'app' | 'none';
  handle(call: MethodCall): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** The team of a bot or workflow token (method handlers with `auth: 'bot'` always have one). */
export function teamOf(call: MethodCall): TeamRecord {
  const caller = call.caller;
  if (!caller || caller.kind === 'app') throw new SlackApiError('not_allowed_token_type');
  return caller.team;
}

/** A string argument, or undefined when absent or empty. */
export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** A JSON argument: form bodies carry it as a JSON string, JSON bodies as the value itself. */
export function jsonArg(args: Record<string, unknown>, name: string): unknown {
  const value = args[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] invalid JSON in ${name}`] },
    });
  }
}

/** A boolean as Slack reads it from forms (`true`/`1`) or JSON. */
export function booleanArg(args: Record<string, unknown>, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/**
 * The conversation a `channel` argument names, in the caller's team: an id (C…, G…, D…), a name with or
 * without `#`, or a user id (U…/W…), which Slack takes as the bot's DM with that user.
 */
export function channelOf(context: ApiContext, team: TeamRecord, channel: string | undefined): ChannelRecord {
  if (channel === undefined) throw new SlackApiError('channel_not_found');
  const byId = context.state.channels.get(channel);
  if (byId) {
    if (byId.teamId !== team.id) throw new SlackApiError('channel_not_found');
    return byId;
  }
  const name = channel.replace(/^#/, '');
  for (const candidate of context.state.channels.values()) {
    if (candidate.teamId === team.id && candidate.kind === 'channel' && candidate.name === name)
      return candidate;
  }
  if (/^[UW][A-Z0-9]+$/.test(channel)) return context.state.dmWith(team, channel);
  throw new SlackApiError('channel_not_found');
}
