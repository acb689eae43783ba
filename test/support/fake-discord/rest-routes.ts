import { ApiError, errors, invalidFormBody } from './api-error.ts';
import { checkCommands } from './command-checks.ts';
import { createMessage, editMessage, type MessageInput } from './message-bodies.ts';
import {
  applicationPayload,
  channelPayload,
  messagePayload,
  selfUserPayload,
  userPayload,
} from './payloads.ts';
import { ok, type Route, type RouteContext, type RouteRequest } from './route.ts';
import type { ChannelRecord, MessageRecord } from './state.ts';

/** The bot-token routes: gateway discovery, the bot's own user and application, commands, channels. */
export function restRoutes(context: RouteContext): Route[] {
  const { state } = context;
  const gateway = () => `ws://${context.origin.slice('http://'.length)}`;

  const channelOf = (request: RouteRequest): ChannelRecord => {
    const channel = state.channels.get(request.params.channel ?? '');
    if (!channel) throw errors.unknownChannel();
    // A denied channel is one the bot lost VIEW_CHANNEL / SEND_MESSAGES in.
    if (state.deniedChannels.has(channel.id)) throw errors.missingAccess();
    return channel;
  };
  const messageOf = (request: RouteRequest): MessageRecord => {
    const channel = channelOf(request);
    const message = state.liveMessage(request.params.message ?? '');
    // Ephemeral messages exist only for their user and the interaction's webhook.
    if (!message || message.channelId !== channel.id || message.ephemeralTo) throw errors.unknownMessage();
    return message;
  };
  const applicationOf = (request: RouteRequest): void => {
    if (request.params.app !== state.applicationId) throw errors.missingAccess();
  };
  const putCommands = (request: RouteRequest, guildId?: string) => {
    applicationOf(request);
    if (guildId !== undefined && !state.guilds.has(guildId)) throw errors.missingAccess();
    const commands = checkCommands(request.body).map((command) => ({
      id: state.commandId(String(command.name)),
      application_id: state.applicationId,
      version: state.ids.next(),
      type: 1,
      default_member_permissions: null,
      name_localizations: null,
      description_localizations: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...command,
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    }));
    state.commands.set(guildId ?? 'global', commands);
    return ok(commands);
  };

  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: 'bot',
      handle: () =>
        ok({
          url: gateway(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: '/gateway', auth: 'none', handle: () => ok({ url: gateway() }) },
    { method: 'GET', pattern: '/users/@me', auth: 'bot', handle: () => ok(selfUserPayload(state)) },
    {
      method: 'GET',
      pattern: '/users/:user',
      auth: 'bot',
      handle: (request) => {
        const user = state.users.get(request.params.user ?? '');
        if (!user) throw errors.unknownUser();
        return ok(userPayload(user));
      },
    },
    {
      method: 'POST',
      pattern: '/users/@me/channels',
      auth: 'bot',
      handle: (request) => {
        const recipient = (request.body as { recipient_id?: unknown } | undefined)?.recipient_id;
        if (typeof recipient !== 'string' || !/^\d{17,20}$/.test(recipient)) {
          throw invalidFormBody('recipient_id', 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
        }
        state.user(recipient);
        return ok(channelPayload(state, state.dmChannelFor(recipient)));
      },
    },
    { method: 'GET', pattern: '/applications/@me', auth: 'bot', handle: () => ok(applicationPayload(state)) },
    {
      method: 'GET',
      pattern: '/oauth2/applications/@me',
      auth: 'bot',
      handle: () => ok(applicationPayload(state)),
    },
    {
      method: 'GET',
      pattern: '/applications/:app/commands',
      auth: 'bot',
      handle: (request) => {
        applicationOf(request);
        return ok(state.commands.get('global') ?? []);
      },
    },
    {
      method: 'PUT',
      pattern: '/applications/:app/commands',
      auth: 'bot',
      handle: (request) => putCommands(request),
    },
    {
      method: 'GET',
      pattern: '/applications/:app/guilds/:guild/commands',
      auth: 'bot',
      major: ['guild'],
      handle: (request) => {
        applicationOf(request);
        return ok(state.commands.get(request.params.guild ?? '') ?? []);
      },
    },
    {
      method: 'PUT',
      pattern: '/applications/:app/guilds/:guild/commands',
      auth: 'bot',
      major: ['guild'],
      handle: (request) => putCommands(request, request.params.guild),
    },
    {
      method: 'GET',
      pattern: '/channels/:channel',
      auth: 'bot',
      major: ['channel'],
      handle: (request) => ok(channelPayload(state, channelOf(request))),
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/messages',
      auth: 'bot',
      major: ['channel'],
      handle: (request) => {
        const channel = channelOf(request);
        const input = messageInput(request);
        const message = createMessage(state, context.origin, input, state.attachmentLimitOf(channel.id), {
          channelId: channel.id,
          authorId: state.botUserId,
          type: 0,
        });
        state.record(message);
        return ok(messagePayload(state, message));
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages/:message',
      auth: 'bot',
      major: ['channel'],
      handle: (request) => ok(messagePayload(state, messageOf(request))),
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channel/messages/:message',
      auth: 'bot',
      major: ['channel'],
      handle: (request) => {
        const message = messageOf(request);
        if (message.authorId !== state.botUserId) throw errors.notYourMessage();
        const limit = state.attachmentLimitOf(message.channelId);
        const next = editMessage(state, context.origin, message, messageInput(request), limit);
        state.record(next);
        return ok(messagePayload(state, next));
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channel/messages/:message',
      auth: 'bot',
      major: ['channel'],
      handle: (request) => {
        const message = messageOf(request);
        // Deleting others' messages needs MANAGE_MESSAGES, which the fake's bot does not have.
        if (message.authorId !== state.botUserId) throw new ApiError(403, 50013, 'Missing Permissions');
        state.record({ ...message, deleted: true });
        return ok();
      },
    },
  ];
}

/** The body of a message create or edit, which must be a JSON object. */
export function messageInput(request: RouteRequest): MessageInput {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidFormBody('_', 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  return { body: body as Record<string, unknown>, files: request.files };
}
