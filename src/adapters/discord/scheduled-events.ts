import {
  type Client,
  Events,
  type GuildScheduledEvent,
  GuildScheduledEventStatus,
  type PartialGuildScheduledEvent,
} from 'discord.js';
import type { Logger } from 'pino';
import type { CommunityEvent, CommunityEventChange, RequestHandler } from '../../core/index.ts';

/** The core's view of a Discord scheduled event. */
export function communityEventOf(event: GuildScheduledEvent): CommunityEvent {
  return {
    tenant: { platform: 'discord', id: event.guildId },
    eventId: event.id,
    name: event.name,
    ...(event.description ? { description: event.description } : {}),
    startsAt: event.scheduledStartTimestamp ?? Date.now(),
    url: event.url,
    ...(event.creatorId ? { creatorId: event.creatorId } : {}),
  };
}

/**
 * Passes a guild's scheduled events to the core (GUILD_SCHEDULED_EVENT_* on the Guild Scheduled
 * Events intent): a new one, an edit, and its end. Discord's own "Cancel Event" button deletes the
 * event (status unchanged) while the API's cancel is an update to CANCELED: both end it. Deletes of
 * events this process never cached arrive as partials (the client enables that partial).
 */
export function forwardScheduledEvents(client: Client, handler: () => RequestHandler, logger: Logger): void {
  const send = (change: CommunityEventChange) =>
    void handler()
      .onCommunityEvent(change)
      .catch((error: unknown) => logger.warn({ err: error }, 'a scheduled event was not handled'));
  client.on(Events.GuildScheduledEventCreate, (event) =>
    send({ kind: 'created', event: communityEventOf(event) }),
  );
  client.on(Events.GuildScheduledEventUpdate, (_before, event) => {
    if (event.status === GuildScheduledEventStatus.Canceled)
      return send({ kind: 'ended', ...where(event), why: 'cancelled' });
    // Started or over: nothing for a teaser to follow any more, and nothing to withdraw.
    if (event.status !== GuildScheduledEventStatus.Scheduled) return;
    send({ kind: 'updated', event: communityEventOf(event) });
  });
  client.on(Events.GuildScheduledEventDelete, (event) =>
    send({ kind: 'ended', ...where(event), why: 'deleted' }),
  );
}

function where(event: GuildScheduledEvent | PartialGuildScheduledEvent) {
  return { tenant: { platform: 'discord' as const, id: event.guildId }, eventId: event.id };
}
