import { eventTs } from './ids.ts';
import type { ChannelRecord, FakeState, MessageRecord, TeamRecord } from './state.ts';

/** The deprecated verification token Slack still puts in every payload. */
export const VERIFICATION_TOKEN = 'fakeSlackVerificationToken0';

/** A message object as the Web API and interaction payloads show it. */
export function messageJson(state: FakeState, message: MessageRecord): Record<string, unknown> {
  const json: Record<string, unknown> = {
    type: 'message',
    text: message.text,
    user: message.userId,
    ts: message.ts,
    team: message.teamId,
    blocks: structuredClone(message.blocks),
  };
  if (message.botId !== undefined) {
    json.bot_id = message.botId;
    json.app_id = state.appId;
    json.bot_profile = {
      id: message.botId,
      app_id: state.appId,
      name: 'clipbot',
      deleted: false,
      team_id: message.teamId,
    };
  }
  if (message.threadTs !== undefined) json.thread_ts = message.threadTs;
  if (message.replyCount !== undefined) json.reply_count = message.replyCount;
  if (message.files !== undefined) {
    json.files = message.files.map((id) => ({ id }));
    json.upload = true;
  }
  if (message.editedAt !== undefined) {
    json.edited = { user: message.userId, ts: eventTs(message.editedAt) };
  }
  return json;
}

/** Where a user acts: `channel_name` as slash commands report it (`directmessage` for DMs). */
export function channelName(channel: ChannelRecord): string {
  if (channel.kind === 'im') return 'directmessage';
  if (channel.kind === 'mpim') return 'mpdm';
  return channel.name ?? channel.id.toLowerCase();
}

/** The form fields of a slash command request (docs.slack.dev, "Implementing slash commands"). */
export function slashCommandForm(
  state: FakeState,
  team: TeamRecord,
  channel: ChannelRecord,
  input: { userId: string; username: string; command: string; text: string },
  ids: { triggerId: string; responseUrl: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: team.id,
    team_domain: team.domain,
    channel_id: channel.id,
    channel_name: channelName(channel),
    user_id: input.userId,
    user_name: input.username,
    command: input.command,
    text: input.text,
    api_app_id: state.appId,
    is_enterprise_install: 'false',
    response_url: ids.responseUrl,
    trigger_id: ids.triggerId,
  };
}

/** A `block_actions` payload for a button press on a message (the stored one, or an ephemeral). */
export function blockActionsPayload(
  state: FakeState,
  team: TeamRecord,
  channel: ChannelRecord,
  press: { userId: string; username: string; messageTs: string; threadTs?: string },
  message: MessageRecord | undefined,
  action: { actionId: string; blockId: string; button: Record<string, unknown> },
  ids: { triggerId: string; responseUrl: string },
): Record<string, unknown> {
  const container: Record<string, unknown> = {
    type: 'message',
    message_ts: press.messageTs,
    channel_id: channel.id,
    is_ephemeral: message === undefined,
  };
  if (press.threadTs !== undefined) container.thread_ts = press.threadTs;
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: press.userId, username: press.username, name: press.username, team_id: team.id },
    api_app_id: state.appId,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: ids.triggerId,
    team: { id: team.id, domain: team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channelName(channel) },
    state: { values: {} },
    response_url: ids.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: action.blockId,
        text: action.button.text,
        ...(action.button.value === undefined ? {} : { value: action.button.value }),
        ...(action.button.style === undefined ? {} : { style: action.button.style }),
        action_ts: eventTs(),
      },
    ],
  };
  // Slack leaves the message out when the button sits on an ephemeral message.
  if (message) payload.message = messageJson(state, message);
  return payload;
}

/** The Events API body of a `function_executed` event (docs.slack.dev, "function_executed"). */
export function functionExecutedBody(
  state: FakeState,
  team: TeamRecord,
  step: { callbackId: string; title: string; inputs: Record<string, unknown> },
  ids: {
    functionId: string;
    executionId: string;
    workflowExecutionId: string;
    eventId: string;
    token: string;
  },
): Record<string, unknown> {
  const now = Date.now();
  const parameters = Object.keys(step.inputs).map((name) => ({
    type: 'string',
    name,
    title: name,
    description: name,
    is_required: false,
  }));
  return {
    token: VERIFICATION_TOKEN,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: state.appId,
    event: {
      type: 'function_executed',
      function: {
        id: ids.functionId,
        callback_id: step.callbackId,
        title: step.title,
        description: step.title,
        type: 'app',
        input_parameters: parameters,
        output_parameters: [],
        app_id: state.appId,
        date_created: Math.floor(now / 1000) - 3600,
        date_updated: Math.floor(now / 1000) - 3600,
        date_deleted: 0,
      },
      inputs: step.inputs,
      function_execution_id: ids.executionId,
      workflow_execution_id: ids.workflowExecutionId,
      event_ts: eventTs(now),
      bot_access_token: ids.token,
    },
    type: 'event_callback',
    event_id: ids.eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: team.id,
        user_id: team.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/**
 * The Events API body of any event Slack sends about a team (`app_uninstalled`, `tokens_revoked`…):
 * the event as given, with its `event_ts` when it has none.
 */
export function eventCallbackBody(
  state: FakeState,
  team: TeamRecord,
  event: Record<string, unknown> & { type: string },
  eventId: string,
): Record<string, unknown> {
  const now = Date.now();
  return {
    token: VERIFICATION_TOKEN,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: state.appId,
    event: { event_ts: eventTs(now), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: team.id,
        user_id: team.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
