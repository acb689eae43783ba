import { errors, invalidFormBody } from './api-error.ts';
import { createMessage, editMessage, FLAG_EPHEMERAL, FLAG_LOADING } from './message-bodies.ts';
import { messagePayload } from './payloads.ts';
import { messageInput } from './rest-routes.ts';
import { ok, type Route, type RouteContext, type RouteRequest } from './route.ts';
import {
  INTERACTION_RESPONSE_WINDOW_MS,
  INTERACTION_TOKEN_LIFETIME_MS,
  type InteractionRecord,
  type MessageRecord,
} from './state.ts';

/**
 * The interaction routes, which carry no Authorization header: the callback (the one initial response,
 * within 3 s) and the webhook routes of the interaction's token (original response and follow-ups).
 */
export function interactionRoutes(context: RouteContext): Route[] {
  const { state } = context;

  /** The interaction behind a webhook token: unknown or not yet answered 10015, expired 401/50027. */
  const interactionOf = (request: RouteRequest): InteractionRecord => {
    const interaction = state.interactionsByToken.get(request.params.token ?? '');
    if (request.params.app !== state.applicationId || !interaction) throw errors.unknownWebhook();
    const dead = interaction.expired || Date.now() - interaction.createdAt > INTERACTION_TOKEN_LIFETIME_MS;
    if (dead) throw errors.invalidWebhookToken();
    if (interaction.callbackType === undefined) throw errors.unknownWebhook();
    return interaction;
  };
  /** `@original` or one of the interaction's own messages. */
  const messageOf = (request: RouteRequest, interaction: InteractionRecord): MessageRecord => {
    const wanted =
      request.params.message === '@original' ? interaction.originalMessageId : request.params.message;
    const message = wanted ? state.liveMessage(wanted) : undefined;
    const own =
      message && (message.id === interaction.originalMessageId || message.interactionId === interaction.id);
    if (!message || !own) throw errors.unknownMessage();
    return message;
  };
  const reply = (
    interaction: InteractionRecord,
    request: RouteRequest,
    type: number,
    data: Record<string, unknown>,
    extraFlags = 0,
  ) => {
    const ephemeral = typeof data.flags === 'number' && (data.flags & FLAG_EPHEMERAL) !== 0;
    return createMessage(
      state,
      context.origin,
      { body: data, files: request.files },
      interaction.attachmentSizeLimit,
      {
        channelId: interaction.channelId,
        authorId: state.botUserId,
        type,
        webhookId: state.applicationId,
        interactionId: interaction.id,
        extraFlags,
        ...(ephemeral ? { ephemeralTo: interaction.userId } : {}),
      },
    );
  };

  const callback = (request: RouteRequest) => {
    const interaction = state.interactionsByToken.get(request.params.token ?? '');
    if (!interaction || interaction.id !== request.params.id || interaction.expired)
      throw errors.unknownInteraction();
    if (interaction.callbackType !== undefined) throw errors.alreadyAcknowledged();
    const afterMs = Date.now() - interaction.createdAt;
    if (afterMs > INTERACTION_RESPONSE_WINDOW_MS) throw errors.unknownInteraction();
    const { type, data = {} } = messageInput(request).body as {
      type?: unknown;
      data?: Record<string, unknown>;
    };
    const component = interaction.type === 3;
    // The first message of a command's response is a CHAT_INPUT_COMMAND (20) message.
    const messageType = component ? 0 : 20;
    let message: MessageRecord | undefined;
    if (type === 4) {
      message = reply(interaction, request, messageType, data);
    } else if (type === 5) {
      const flags = typeof data.flags === 'number' ? data.flags & FLAG_EPHEMERAL : 0;
      message = reply(interaction, { ...request, files: [] }, messageType, { flags }, FLAG_LOADING);
    } else if ((type === 6 || type === 7) && component) {
      const pressed = state.liveMessage(interaction.pressedMessageId ?? '');
      if (!pressed) throw errors.unknownMessage();
      message =
        type === 7
          ? editMessage(
              state,
              context.origin,
              pressed,
              { body: data, files: request.files },
              interaction.attachmentSizeLimit,
            )
          : pressed;
    } else if (type !== 9) {
      throw invalidFormBody(
        'type',
        'BASE_TYPE_CHOICES',
        `Value must be one of {4, 5${component ? ', 6, 7' : ''}, 9}.`,
      );
    }
    if (message && type !== 6) state.record(message);
    interaction.callbackType = type;
    if (message) interaction.originalMessageId = message.id;
    const flags = typeof data.flags === 'number' ? data.flags : undefined;
    state.callbacks.push({
      interactionId: interaction.id,
      type,
      ...(flags === undefined ? {} : { flags }),
      afterMs,
    });
    if (request.query.with_response !== 'true') return ok();
    return ok({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & FLAG_LOADING) !== 0,
              response_message_ephemeral: (message.flags & FLAG_EPHEMERAL) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: messagePayload(state, message) } : {}) },
    });
  };

  const webhookMajor = ['app', 'token'];
  return [
    { method: 'POST', pattern: '/interactions/:id/:token/callback', auth: 'none', handle: callback },
    {
      method: 'POST',
      pattern: '/webhooks/:app/:token',
      auth: 'none',
      major: webhookMajor,
      handle: (request) => {
        const interaction = interactionOf(request);
        const message = reply(interaction, request, 0, messageInput(request).body);
        state.record(message);
        return request.query.wait === 'true' ? ok(messagePayload(state, message)) : ok();
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: 'none',
      major: webhookMajor,
      handle: (request) => ok(messagePayload(state, messageOf(request, interactionOf(request)))),
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: 'none',
      major: webhookMajor,
      handle: (request) => {
        const interaction = interactionOf(request);
        const message = messageOf(request, interaction);
        const input = messageInput(request);
        const next = editMessage(state, context.origin, message, input, interaction.attachmentSizeLimit);
        state.record(next);
        return ok(messagePayload(state, next));
      },
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:app/:token/messages/:message',
      auth: 'none',
      major: webhookMajor,
      handle: (request) => {
        const message = messageOf(request, interactionOf(request));
        state.record({ ...message, deleted: true });
        return ok();
      },
    },
  ];
}
