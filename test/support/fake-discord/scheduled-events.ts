import { OWNER_ID, userPayload } from './payloads.ts';
import type { FakeState } from './state.ts';
import type {
  FakeScheduledEvent,
  ScheduledEventChanges,
  ScheduledEventInput,
  ScheduledEventStatus,
} from './types.ts';

/** Gateway intent GUILD_SCHEDULED_EVENTS (1 << 16, not privileged): GUILD_SCHEDULED_EVENT_* need it. */
export const GUILD_SCHEDULED_EVENTS_INTENT = 1 << 16;
/** A guild holds at most 100 events that are SCHEDULED or ACTIVE. */
const MAX_OPEN_EVENTS = 100;
const EXTERNAL = 3;
const HOUR_MS = 3_600_000;
/** Discord's valid status transitions; COMPLETED and CANCELED are final. */
const NEXT_STATUS: Record<ScheduledEventStatus, ScheduledEventStatus[]> = { 1: [2, 4], 2: [3], 3: [], 4: [] };

/** A new SCHEDULED event, checked against Discord's rules (entity type ↔ channel, location, end time). */
export function newScheduledEvent(state: FakeState, input: ScheduledEventInput): FakeScheduledEvent {
  const guild = state.guilds.get(input.guildId);
  if (!guild) throw new Error(`fake-discord: unknown guild ${input.guildId}`);
  const open = [...state.scheduledEvents.values()].filter(
    (event) => event.guildId === guild.id && event.status <= 2,
  );
  if (open.length >= MAX_OPEN_EVENTS) {
    throw new Error(`fake-discord: guild ${guild.id} already has ${MAX_OPEN_EVENTS} open scheduled events`);
  }
  const entityType = input.entityType ?? (input.channelId === undefined ? EXTERNAL : 2);
  let channelId: string | null = null;
  if (entityType === EXTERNAL) {
    if (input.channelId !== undefined) throw new Error('fake-discord: an EXTERNAL event has no channel');
  } else {
    const channel = input.channelId === undefined ? undefined : state.channels.get(input.channelId);
    if (!channel || channel.guildId !== guild.id) {
      throw new Error(`fake-discord: a stage or voice event needs a channel of guild ${guild.id}`);
    }
    channelId = channel.id;
  }
  const start = futureTime(input.startsAt);
  const end =
    input.endsAt !== undefined ? time(input.endsAt) : entityType === EXTERNAL ? start + HOUR_MS : undefined;
  if (end !== undefined && end <= start)
    throw new Error('fake-discord: a scheduled event must end after it starts');
  const creator = input.creatorId === undefined ? state.user(OWNER_ID, 'owner') : state.user(input.creatorId);
  return {
    id: state.ids.next(),
    guildId: guild.id,
    channelId,
    creatorId: creator.id,
    name: checkedName(input.name),
    description: checkedDescription(input.description ?? null),
    scheduledStartTime: new Date(start).toISOString(),
    scheduledEndTime: end === undefined ? null : new Date(end).toISOString(),
    privacyLevel: 2,
    status: 1,
    entityType,
    entityId: null,
    entityMetadata:
      entityType === EXTERNAL ? { location: checkedLocation(input.location ?? 'Online') } : null,
    userCount: 0,
  };
}

/** The event after a member's edit; status moves only SCHEDULED → ACTIVE → COMPLETED or SCHEDULED → CANCELED. */
export function changedScheduledEvent(
  event: FakeScheduledEvent,
  changes: ScheduledEventChanges,
): FakeScheduledEvent {
  const next = { ...event };
  if (changes.status !== undefined && changes.status !== event.status) {
    if (!NEXT_STATUS[event.status].includes(changes.status)) {
      throw new Error(
        `fake-discord: a scheduled event's status cannot go from ${event.status} to ${changes.status}`,
      );
    }
    next.status = changes.status;
  }
  if (changes.name !== undefined) next.name = checkedName(changes.name);
  if (changes.description !== undefined) next.description = checkedDescription(changes.description);
  const oldStart = Date.parse(event.scheduledStartTime);
  const start = changes.startsAt === undefined ? oldStart : time(changes.startsAt);
  if (changes.startsAt !== undefined && next.status === 1) futureTime(start);
  const oldEnd = event.scheduledEndTime === null ? undefined : Date.parse(event.scheduledEndTime);
  const end =
    changes.endsAt !== undefined
      ? time(changes.endsAt)
      : oldEnd === undefined
        ? undefined
        : oldEnd + (start - oldStart);
  if (end !== undefined && end <= start)
    throw new Error('fake-discord: a scheduled event must end after it starts');
  next.scheduledStartTime = new Date(start).toISOString();
  next.scheduledEndTime = end === undefined ? null : new Date(end).toISOString();
  return next;
}

/** The guild's events the bot can see: Discord hides those whose channel the bot cannot view. */
export function visibleScheduledEvents(state: FakeState, guildId: string): FakeScheduledEvent[] {
  return [...state.scheduledEvents.values()].filter(
    (event) => event.guildId === guildId && !isHidden(state, event),
  );
}

export function isHidden(state: FakeState, event: FakeScheduledEvent): boolean {
  return event.channelId !== null && state.deniedChannels.has(event.channelId);
}

/**
 * The guild scheduled event object. `user_count` comes only where asked for (`with_user_count` on
 * REST), as documented; Gateway events and GUILD_CREATE carry none.
 */
export function scheduledEventPayload(
  state: FakeState,
  event: FakeScheduledEvent,
  withUserCount = false,
): Record<string, unknown> {
  return {
    id: event.id,
    guild_id: event.guildId,
    channel_id: event.channelId,
    creator_id: event.creatorId,
    creator: userPayload(state.user(event.creatorId)),
    name: event.name,
    description: event.description,
    scheduled_start_time: event.scheduledStartTime,
    scheduled_end_time: event.scheduledEndTime,
    privacy_level: event.privacyLevel,
    status: event.status,
    entity_type: event.entityType,
    entity_id: event.entityId,
    entity_metadata: event.entityMetadata,
    image: null,
    recurrence_rule: null,
    ...(withUserCount ? { user_count: event.userCount } : {}),
  };
}

function time(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new Error('fake-discord: a scheduled event needs a valid time');
  return ms;
}

function futureTime(at: Date | number): number {
  const ms = time(at);
  if (ms <= Date.now()) throw new Error('fake-discord: a scheduled event cannot start in the past');
  return ms;
}

function checkedName(name: string): string {
  if (name.length < 1 || name.length > 100)
    throw new Error('fake-discord: an event name is 1-100 characters');
  return name;
}

function checkedDescription(description: string | null): string | null {
  if (description !== null && (description.length < 1 || description.length > 1000)) {
    throw new Error('fake-discord: an event description is 1-1000 characters');
  }
  return description;
}

function checkedLocation(location: string): string {
  if (location.length < 1 || location.length > 100)
    throw new Error('fake-discord: a location is 1-100 characters');
  return location;
}
