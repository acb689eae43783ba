import { errors } from './api-error.ts';
import { ok, type Route, type RouteContext, type RouteRequest } from './route.ts';
import { isHidden, scheduledEventPayload, visibleScheduledEvents } from './scheduled-events.ts';

/** Reading a guild's scheduled events with the bot token (discord-api-docs, "Guild Scheduled Event"). */
export function scheduledEventRoutes(context: RouteContext): Route[] {
  const { state } = context;
  const guildOf = (request: RouteRequest): string => {
    const guildId = request.params.guild ?? '';
    if (!state.guilds.has(guildId)) throw errors.unknownGuild();
    return guildId;
  };
  // Discord's boolean query strings take `true`/`1` and `false`/`0`.
  const withUserCount = (request: RouteRequest) =>
    ['true', '1'].includes(request.query.with_user_count ?? '');

  return [
    {
      method: 'GET',
      pattern: '/guilds/:guild/scheduled-events',
      auth: 'bot',
      major: ['guild'],
      handle: (request) => {
        const events = visibleScheduledEvents(state, guildOf(request));
        return ok(events.map((event) => scheduledEventPayload(state, event, withUserCount(request))));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/scheduled-events/:event',
      auth: 'bot',
      major: ['guild'],
      handle: (request) => {
        const guildId = guildOf(request);
        const event = state.scheduledEvents.get(request.params.event ?? '');
        if (!event || event.guildId !== guildId) throw errors.unknownScheduledEvent();
        // An event in a channel the bot cannot view is refused, not hidden (discord-api-docs#4573).
        if (isHidden(state, event)) throw errors.missingAccess();
        return ok(scheduledEventPayload(state, event, withUserCount(request)));
      },
    },
  ];
}
