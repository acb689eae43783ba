import { once } from 'node:events';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type GuildScheduledEvent,
  GuildScheduledEventEntityType,
  GuildScheduledEventStatus,
  type PartialGuildScheduledEvent,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';

const GUILD = '920000000000000001';
const CHANNEL = '920000000000000002';
const HIDDEN_CHANNEL = '920000000000000003';
const USER = '820000000000000001';
const HOUR = 3_600_000;

type Seen =
  | { kind: 'create'; event: GuildScheduledEvent }
  | {
      kind: 'update';
      old: GuildScheduledEvent | PartialGuildScheduledEvent | null;
      event: GuildScheduledEvent;
    }
  | { kind: 'delete'; event: GuildScheduledEvent | PartialGuildScheduledEvent };

/** A logged-in client that records the scheduled-event events and the interactions it receives. */
async function loggedIn(fake: FakeDiscord, intents: GatewayIntentBits[]) {
  const client = new Client({ intents, rest: { api: fake.apiUrl } });
  const seen: Seen[] = [];
  const interactions: string[] = [];
  client.on(Events.GuildScheduledEventCreate, (event) => void seen.push({ kind: 'create', event }));
  client.on(Events.GuildScheduledEventUpdate, (old, event) => void seen.push({ kind: 'update', old, event }));
  client.on(Events.GuildScheduledEventDelete, (event) => void seen.push({ kind: 'delete', event }));
  client.on(Events.InteractionCreate, (interaction) => void interactions.push(interaction.id));
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { client, seen, interactions };
}

describe('guild scheduled events in the fake Discord, seen by the real discord.js client', () => {
  let fake: FakeDiscord;
  let listening: Awaited<ReturnType<typeof loggedIn>>;
  let deaf: Awaited<ReturnType<typeof loggedIn>>;
  let earlierId = '';

  const next = <K extends Seen['kind']>(kind: K, id: string) =>
    fake.waitFor(() =>
      listening.seen.find(
        (seen): seen is Extract<Seen, { kind: K }> => seen.kind === kind && seen.event.id === id,
      ),
    );

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      guilds: [
        {
          id: GUILD,
          name: 'events',
          channels: [
            { id: CHANNEL, name: 'general' },
            { id: HIDDEN_CHANNEL, name: 'staff' },
          ],
        },
      ],
      heartbeatIntervalMs: 500,
    });
    const earlier = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Movie night',
      startsAt: Date.now() + 48 * HOUR,
      location: 'The big screen',
    });
    earlierId = earlier.id;
    listening = await loggedIn(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents]);
    deaf = await loggedIn(fake, [GatewayIntentBits.Guilds]);
  });

  afterAll(async () => {
    await listening?.client.destroy();
    await deaf?.client.destroy();
    await fake?.stop();
  });

  it('when the bot logs in, then GUILD_CREATE carries the events that already exist, whatever the intents', () => {
    for (const { client } of [listening, deaf]) {
      const cached = client.guilds.cache.get(GUILD)?.scheduledEvents.cache.get(earlierId);
      expect(cached?.name).toBe('Movie night');
      expect(cached?.entityMetadata?.location).toBe('The big screen');
    }
  });

  it('when a member creates an event, then guildScheduledEventCreate brings its name, description, start and url', async () => {
    const startsAt = new Date(Date.now() + 24 * HOUR);
    const created = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Clip jam',
      description: 'Bring your best prompts',
      startsAt,
      creatorId: USER,
    });
    const { event } = await next('create', created.id);
    expect(event.name).toBe('Clip jam');
    expect(event.description).toBe('Bring your best prompts');
    expect(event.scheduledStartAt?.getTime()).toBe(startsAt.getTime());
    expect(event.scheduledEndAt?.getTime()).toBe(startsAt.getTime() + HOUR);
    expect(event.url).toBe(`https://discord.com/events/${GUILD}/${created.id}`);
    expect(event.guildId).toBe(GUILD);
    expect(event.channelId).toBeNull();
    expect(event.entityType).toBe(GuildScheduledEventEntityType.External);
    expect(event.entityMetadata?.location).toBe('Online');
    expect(event.status).toBe(GuildScheduledEventStatus.Scheduled);
    expect(event.creatorId).toBe(USER);
    expect(event.creator?.id).toBe(USER);
    expect(event.partial).toBe(false);
  });

  it('when a member edits and then cancels an event, then each is a guildScheduledEventUpdate with old and new', async () => {
    const created = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Render race',
      startsAt: Date.now() + 24 * HOUR,
    });
    await next('create', created.id);
    const later = new Date(Date.now() + 30 * HOUR);
    await fake.updateScheduledEvent(created.id, { name: 'Render race II', startsAt: later });
    const edit = await next('update', created.id);
    expect(edit.old?.name).toBe('Render race');
    expect(edit.event.name).toBe('Render race II');
    expect(edit.event.scheduledStartAt?.getTime()).toBe(later.getTime());
    expect(edit.event.scheduledEndAt?.getTime()).toBe(later.getTime() + HOUR);

    listening.seen.length = 0;
    const canceled = await fake.updateScheduledEvent(created.id, { status: 4 });
    const cancel = await next('update', created.id);
    expect(cancel.old?.status).toBe(GuildScheduledEventStatus.Scheduled);
    expect(cancel.event.status).toBe(GuildScheduledEventStatus.Canceled);
    expect(canceled.status).toBe(4);
    await expect(fake.updateScheduledEvent(created.id, { status: 2 })).rejects.toThrow(
      /cannot go from 4 to 2/,
    );
  });

  it('when a member deletes an event, then guildScheduledEventDelete names it and the guild forgets it', async () => {
    const created = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Gone soon',
      startsAt: Date.now() + 24 * HOUR,
    });
    await next('create', created.id);
    await fake.deleteScheduledEvent(created.id);
    const { event } = await next('delete', created.id);
    expect(event.name).toBe('Gone soon');
    expect(listening.client.guilds.cache.get(GUILD)?.scheduledEvents.cache.has(created.id)).toBe(false);
    expect(fake.scheduledEvents(GUILD).some((known) => known.id === created.id)).toBe(false);
  });

  it('when a session identified without GUILD_SCHEDULED_EVENTS, then it gets none of those dispatches', async () => {
    const created = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Quiet one',
      startsAt: Date.now() + 24 * HOUR,
    });
    await fake.updateScheduledEvent(created.id, { description: 'shh' });
    await fake.deleteScheduledEvent(created.id);
    // Dispatches are written in order: once a later interaction arrives, any earlier event would have too.
    const marker = await fake.slashCommand({ userId: USER, guildId: GUILD, name: 'video' });
    await fake.waitFor(() => deaf.interactions.includes(marker.interactionId));
    await next('delete', created.id);
    expect(deaf.seen).toEqual([]);
  });

  it('when the bot fetches the guild events over REST, then it gets them with user counts, and 10070 for a missing one', async () => {
    const guild = listening.client.guilds.cache.get(GUILD);
    const all = await guild?.scheduledEvents.fetch();
    const ids = fake.scheduledEvents(GUILD).map((event) => event.id);
    expect([...(all?.keys() ?? [])]).toEqual(ids);
    expect(all?.get(earlierId)?.userCount).toBe(0);
    const one = await guild?.scheduledEvents.fetch(earlierId);
    expect(one?.name).toBe('Movie night');

    const missing = await guild?.scheduledEvents
      .fetch('920000000000009999')
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(DiscordAPIError);
    expect(missing).toMatchObject({ status: 404, code: 10070 });
    const listed = fake.requests.find((request) => request.path === `/guilds/${GUILD}/scheduled-events`);
    expect(listed).toMatchObject({
      method: 'GET',
      auth: 'bot',
      status: 200,
      query: { with_user_count: 'true' },
    });
  });

  it('when the REST routes are called without the bot token, then they answer 401', async () => {
    const answer = await fetch(`${fake.apiUrl}/v10/guilds/${GUILD}/scheduled-events`);
    expect(answer.status).toBe(401);
  });

  it('when an event is in a channel the bot cannot view, then the bot hears nothing and REST refuses it', async () => {
    fake.denyChannel(HIDDEN_CHANNEL);
    const hidden = await fake.createScheduledEvent({
      guildId: GUILD,
      name: 'Staff meeting',
      startsAt: Date.now() + 24 * HOUR,
      channelId: HIDDEN_CHANNEL,
    });
    expect(hidden).toMatchObject({ entityType: 2, channelId: HIDDEN_CHANNEL, entityMetadata: null });
    const marker = await fake.slashCommand({ userId: USER, guildId: GUILD, name: 'video' });
    await fake.waitFor(() => listening.interactions.includes(marker.interactionId));
    expect(listening.seen.some((seen) => seen.event.id === hidden.id)).toBe(false);
    const guild = listening.client.guilds.cache.get(GUILD);
    const refused = await guild?.scheduledEvents.fetch(hidden.id).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ status: 403, code: 50001 });
    expect((await guild?.scheduledEvents.fetch())?.has(hidden.id)).toBe(false);
  });

  it('when a test asks for what Discord refuses, then the fake throws: a past start, an unknown guild, a channel of another guild', async () => {
    await expect(
      fake.createScheduledEvent({ guildId: GUILD, name: 'Yesterday', startsAt: Date.now() - HOUR }),
    ).rejects.toThrow(/in the past/);
    await expect(
      fake.createScheduledEvent({
        guildId: '920000000000000099',
        name: 'Nowhere',
        startsAt: Date.now() + HOUR,
      }),
    ).rejects.toThrow(/unknown guild/);
    await expect(
      fake.createScheduledEvent({
        guildId: GUILD,
        name: 'Elsewhere',
        startsAt: Date.now() + HOUR,
        channelId: '920000000000000098',
      }),
    ).rejects.toThrow(/channel of guild/);
  });
});
