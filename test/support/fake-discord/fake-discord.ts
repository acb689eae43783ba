import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gateway } from './gateway.ts';
import { buttonInteraction, commandInteraction } from './interaction-payloads.ts';
import { interactionRoutes } from './interaction-routes.ts';
import { RateLimits } from './rate-limits.ts';
import { restRoutes } from './rest-routes.ts';
import { RestServer } from './rest-server.ts';
import type { RouteContext } from './route.ts';
import { scheduledEventRoutes } from './scheduled-event-routes.ts';
import {
  changedScheduledEvent,
  GUILD_SCHEDULED_EVENTS_INTENT,
  isHidden,
  newScheduledEvent,
  scheduledEventPayload,
} from './scheduled-events.ts';
import { type ChannelRecord, FakeState, type InteractionRecord, snapshot } from './state.ts';
import type {
  ButtonPressInput,
  FakeCallback,
  FakeDiscordOptions,
  FakeMessage,
  FakeScheduledEvent,
  RecordedRequest,
  ScheduledEventChanges,
  ScheduledEventInput,
  SlashCommandInput,
} from './types.ts';

const DEFAULT_GUILDS = [
  { id: '200000000000000001', name: 'clip guild', channels: [{ id: '300000000000000001', name: 'general' }] },
];

/**
 * A local Discord (REST v10 and Gateway v10 on one 127.0.0.1 port) that the real discord.js client
 * logs in to: `new Client({ rest: { api: fake.apiUrl } })`. Users act through `slashCommand`,
 * `pressButton` and the scheduled-event methods; tests observe `messages`, `history`, `requests` and `callbacks`, and inject faults.
 */
export class FakeDiscord {
  readonly apiUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly requests: RecordedRequest[];
  readonly callbacks: FakeCallback[];

  private constructor(
    private readonly server: Server,
    private readonly state: FakeState,
    private readonly rest: RestServer,
    private readonly gateway: Gateway,
    origin: string,
    token: string,
  ) {
    this.apiUrl = `${origin}/api`;
    this.token = token;
    this.applicationId = state.applicationId;
    this.botUserId = state.botUserId;
    this.requests = rest.requests;
    this.callbacks = state.callbacks;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const token = options.token ?? 'MTAwMDAwMDAwMDAwMDAwMDAx.fake.discord-bot-token';
    const state = new FakeState(
      options.applicationId ?? '100000000000000002',
      options.botUserId ?? options.applicationId ?? '100000000000000002',
      options.guilds ?? DEFAULT_GUILDS,
    );
    const context: RouteContext = { state, origin: '' };
    const { limit, windowMs } = options.rateLimit ?? { limit: 50, windowMs: 1000 };
    const rest = new RestServer(
      token,
      [...restRoutes(context), ...scheduledEventRoutes(context), ...interactionRoutes(context)],
      new RateLimits(limit, windowMs),
      state,
    );
    const gateway = new Gateway(
      token,
      options.heartbeatIntervalMs ?? 1000,
      state,
      () => `ws://${context.origin.slice(7)}`,
    );
    const server = createServer((req, res) => rest.handle(req, res));
    server.on('upgrade', (req, socket, head: Buffer) => gateway.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    context.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new FakeDiscord(server, state, rest, gateway, context.origin, token);
  }

  /** A user runs a slash command; resolves once INTERACTION_CREATE is written to every live session. */
  async slashCommand(input: SlashCommandInput): Promise<{ interactionId: string; token: string }> {
    const channel = this.#channelFor(input);
    const limit = input.attachmentSizeLimit ?? this.state.attachmentLimitOf(channel.id);
    const interaction = commandInteraction(
      this.state,
      input,
      { channel, attachmentSizeLimit: limit },
      input,
      this.apiUrl.slice(0, -'/api'.length),
    );
    return this.#dispatch(interaction);
  }

  /** A user presses a button on a message they can see; guild and channel come from the message. */
  async pressButton(input: ButtonPressInput): Promise<{ interactionId: string; token: string }> {
    const message = this.state.liveMessage(input.messageId);
    if (!message) throw new Error(`fake-discord: no message ${input.messageId} to press a button on`);
    if (message.ephemeralTo && message.ephemeralTo !== input.userId) {
      throw new Error(
        `fake-discord: message ${message.id} is ephemeral to another user; ${input.userId} cannot see it`,
      );
    }
    if (!hasButton(message.components, input.customId)) {
      throw new Error(`fake-discord: message ${message.id} has no button ${input.customId}`);
    }
    const channel = this.state.channels.get(message.channelId) as ChannelRecord;
    const limit = this.state.attachmentLimitOf(channel.id);
    const interaction = buttonInteraction(
      this.state,
      input,
      { channel, attachmentSizeLimit: limit },
      message,
      input.customId,
    );
    return this.#dispatch(interaction);
  }

  /**
   * Delivers an interaction's INTERACTION_CREATE again, same id and token (Discord's delivery is at
   * least once); its 3 s window still runs from the first delivery.
   */
  async redeliver(interactionId: string): Promise<{ interactionId: string; token: string }> {
    const interaction = [...this.state.interactionsByToken.values()].find(
      (known) => known.id === interactionId,
    );
    if (!interaction) throw new Error(`fake-discord: no interaction ${interactionId}`);
    return this.#dispatch(interaction);
  }

  /**
   * A member creates a scheduled event; resolves once GUILD_SCHEDULED_EVENT_CREATE is written to every
   * live session that identified with the GUILD_SCHEDULED_EVENTS intent (the others get nothing).
   */
  async createScheduledEvent(input: ScheduledEventInput): Promise<FakeScheduledEvent> {
    const event = newScheduledEvent(this.state, input);
    this.state.scheduledEvents.set(event.id, event);
    await this.#dispatchScheduledEvent('GUILD_SCHEDULED_EVENT_CREATE', event);
    return structuredClone(event);
  }

  /**
   * A member edits, starts, ends or cancels an event: GUILD_SCHEDULED_EVENT_UPDATE either way (a cancel
   * through the API is status 4 in an UPDATE; deleting is `deleteScheduledEvent`).
   */
  async updateScheduledEvent(eventId: string, changes: ScheduledEventChanges): Promise<FakeScheduledEvent> {
    const event = changedScheduledEvent(this.#scheduledEvent(eventId), changes);
    this.state.scheduledEvents.set(event.id, event);
    await this.#dispatchScheduledEvent('GUILD_SCHEDULED_EVENT_UPDATE', event);
    return structuredClone(event);
  }

  /**
   * A member deletes an event: GUILD_SCHEDULED_EVENT_DELETE carries it as it was. Discord's own
   * "Cancel Event" button does this too, so its status stays SCHEDULED (discord-api-docs#4105).
   */
  async deleteScheduledEvent(eventId: string): Promise<void> {
    const event = this.#scheduledEvent(eventId);
    this.state.scheduledEvents.delete(event.id);
    await this.#dispatchScheduledEvent('GUILD_SCHEDULED_EVENT_DELETE', event);
  }

  /** A guild's scheduled events (not deleted), in creation order, including any the bot cannot see. */
  scheduledEvents(guildId: string): FakeScheduledEvent[] {
    return [...this.state.scheduledEvents.values()]
      .filter((event) => event.guildId === guildId)
      .map((event) => structuredClone(event));
  }

  /** Current messages (not deleted), in creation order; `visibleTo` hides others' ephemeral messages. */
  messages(filter: { channelId?: string; visibleTo?: string } = {}): FakeMessage[] {
    return [...this.state.messages.values()]
      .filter((message) => !message.deleted)
      .filter((message) => filter.channelId === undefined || message.channelId === filter.channelId)
      .filter(
        (message) =>
          filter.visibleTo === undefined || !message.ephemeralTo || message.ephemeralTo === filter.visibleTo,
      )
      .map(snapshot);
  }

  /** Every state of one message in order: create, each edit, delete. */
  history(messageId: string): FakeMessage[] {
    return [...(this.state.histories.get(messageId) ?? [])];
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake-discord: waitFor timed out after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The next `times` requests matching answer this instead (a 429 defaults to Retry-After: 1). */
  failNext(
    match: { method?: string; path: RegExp },
    answer: { status: number; body?: unknown; headers?: Record<string, string> },
    times = 1,
  ): void {
    this.rest.failNext(match, answer, times);
  }

  /** The token's webhook routes answer 401/50027 from now on, as after Discord's 15 minutes. */
  expireInteraction(token: string): void {
    const interaction = this.state.interactionsByToken.get(token);
    if (!interaction) throw new Error('fake-discord: no interaction has that token');
    interaction.expired = true;
  }

  /** The bot loses access to the channel: bot-token channel routes there answer 403/50001. */
  denyChannel(channelId: string): void {
    this.state.deniedChannels.add(channelId);
  }

  /** Closes every Gateway connection (4000: resumable); what is dispatched meanwhile is replayed on RESUME. */
  dropGateway(closeCode = 4000): void {
    this.gateway.drop(closeCode);
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  #channelFor(input: SlashCommandInput): ChannelRecord {
    if (input.guildId === undefined) {
      this.state.user(input.userId, input.username);
      const dm = this.state.dmChannelFor(input.userId);
      if (input.channelId !== undefined && input.channelId !== dm.id) {
        throw new Error(
          `fake-discord: ${input.channelId} is not the DM channel of ${input.userId} (${dm.id})`,
        );
      }
      return dm;
    }
    const guild = this.state.guilds.get(input.guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${input.guildId}`);
    const channelId = input.channelId ?? guild.channelIds[0];
    const channel = channelId === undefined ? undefined : this.state.channels.get(channelId);
    if (!channel || channel.guildId !== guild.id) {
      throw new Error(`fake-discord: guild ${guild.id} has no channel ${String(channelId)}`);
    }
    return channel;
  }

  #scheduledEvent(eventId: string): FakeScheduledEvent {
    const event = this.state.scheduledEvents.get(eventId);
    if (!event) throw new Error(`fake-discord: no scheduled event ${eventId}`);
    return event;
  }

  async #dispatchScheduledEvent(name: string, event: FakeScheduledEvent): Promise<void> {
    // Discord tells a bot nothing about events in channels it cannot view.
    if (isHidden(this.state, event)) return;
    const payload = scheduledEventPayload(this.state, event);
    await this.gateway.dispatch(name, payload, GUILD_SCHEDULED_EVENTS_INTENT);
  }

  async #dispatch(interaction: InteractionRecord): Promise<{ interactionId: string; token: string }> {
    this.state.interactionsByToken.set(interaction.token, interaction);
    await this.gateway.dispatch('INTERACTION_CREATE', interaction.payload);
    return { interactionId: interaction.id, token: interaction.token };
  }
}

function hasButton(components: unknown[], customId: string): boolean {
  return components.some((component) => {
    const { custom_id: id, components: children } = component as {
      custom_id?: unknown;
      components?: unknown;
    };
    return id === customId || (Array.isArray(children) && hasButton(children, customId));
  });
}
