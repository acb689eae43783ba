import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Partials,
  RESTEvents,
} from 'discord.js';
import type { Logger } from 'pino';
import {
  type CommandModule,
  type DefinedCommand,
  definedCommands,
  type ModelFacts,
} from '../../../commands/index.ts';
import {
  type ChatAdapter,
  type NoticeTarget,
  type PostPlace,
  parseButtonId,
  type RenderResult,
  type ReplyHandle,
  type ReplyTarget,
  type RequestHandler,
  type ShownReply,
} from '../../core/index.ts';
import { callDiscord } from './discord-calls.ts';
import { readHandle, toReplyHandle } from './discord-handle.ts';
import { DiscordReplyPoster } from './discord-reply-poster.ts';
import { discordTime } from './discord-reply-view.ts';
import {
  DEFAULT_UPLOAD_LIMIT,
  interactionHandle,
  optionValues,
  requesterOf,
  tenantOf,
  uploadLimitOf,
} from './interaction-context.ts';
import { inviteUrl } from './invite-url.ts';
import { forwardScheduledEvents } from './scheduled-events.ts';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base without its version (discord.js adds /v10); the Gateway URL comes from GET /gateway/bot. */
  apiUrl: string;
  /** The operator's largest clip; each reply also fits its channel's own upload limit. */
  uploadLimitBytes: number;
  logger: Logger;
  /** Discord refused the bot token: counted in /metrics (never retried in a loop). */
  onBotTokenRefused?: () => void;
  /** discord.js is waiting out a rate limit (a 429 or an empty bucket): counted in /metrics. */
  onRateLimited?: () => void;
  /** How long start waits for the Gateway's READY (default 30 s). */
  readyTimeoutMs?: number;
  /** The chat commands it answers (commands/, as registered with npm run discord:commands). */
  commands: readonly CommandModule[];
  /** The model's facts, for the commands' definitions. */
  facts: ModelFacts;
}

const UNAVAILABLE = 'clipbot is unavailable for a moment. Please try again in a minute.';
const NOT_OURS = 'That command or button is not one clipbot knows. Try /video.';

/**
 * Discord behind the port, on discord.js's Gateway client (Guilds intent only, no privileged ones).
 * A command is deferred at once (ephemeral when private, or when it answers its asker alone), turned
 * into a use of the core, and answered by editing the deferred response; buttons carry stateless ids and are acknowledged at once, with
 * answers to the presser as ephemeral follow-ups. Rendering needs no live interaction object, only
 * the handle in the job's data, so it works from any bot process and after restarts.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  private readonly client: Client;
  private readonly poster: DiscordReplyPoster;
  private readonly commands: Map<string, DefinedCommand>;
  private handler?: RequestHandler;
  private tokenRefused = false;
  private gatewayUp = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.commands = definedCommands(options.commands, options.facts);
    this.client = new Client({
      // Scheduled events for teasers; neither intent is privileged.
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents],
      partials: [Partials.GuildScheduledEvent],
      // Node's own fetch, not @discordjs/rest's undici: with Bolt in the same process (a bot serving
      // Discord and Slack) Bolt's newer undici takes the global dispatcher and every discord.js
      // request hangs or fails (DESIGN.md; test/adapters/both-sdks.test.ts).
      rest: { api: options.apiUrl, makeRequest: nodeFetch },
    });
    this.poster = new DiscordReplyPoster(this.client.rest, options.logger, (what) => this.refused(what));
    this.client.rest.on(RESTEvents.RateLimited, (info) => {
      options.onRateLimited?.();
      options.logger.debug(
        { route: info.route, waitMs: info.timeToReset, global: info.global },
        'rate limited',
      );
    });
  }

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
    this.client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    this.client.on(Events.Error, (error) => this.options.logger.warn({ err: error }, 'discord client error'));
    forwardScheduledEvents(this.client, () => this.requireHandler(), this.options.logger);
    // The Gateway session's state for /healthz: down from a drop until it is resumed or made anew.
    for (const down of [Events.ShardDisconnect, Events.ShardReconnecting] as const)
      this.client.on(down, () => {
        this.gatewayUp = false;
      });
    for (const up of [Events.ShardReady, Events.ShardResume] as const)
      this.client.on(up, () => {
        this.gatewayUp = true;
      });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('Discord did not send READY in time: check DISCORD_TOKEN and the network')),
        this.options.readyTimeoutMs ?? 30_000,
      );
      this.client.once(Events.ClientReady, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await callDiscord('logging in to Discord', () => this.client.login(this.options.token));
      await ready;
    } catch (error) {
      await this.client.destroy();
      throw error;
    }
    const applicationId = this.client.application?.id ?? this.client.user?.id ?? '';
    this.options.logger.info(
      {
        user: this.client.user?.tag,
        guilds: this.client.guilds.cache.size,
        invite: inviteUrl(applicationId),
      },
      'connected to Discord; invite the bot with the link in "invite"',
    );
  }

  /** The Gateway session is up (READY seen, not reconnecting) and Discord has not refused the token. */
  connected(): boolean {
    return this.client.isReady() && this.gatewayUp && !this.tokenRefused;
  }

  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    const movedTo = await this.poster.render(readHandle(target.handle), reply, target.origin);
    return movedTo ? { movedTo: toReplyHandle(movedTo) } : undefined;
  }

  postTarget(place: PostPlace): { handle: ReplyHandle; uploadLimitBytes: number } {
    const applicationId = this.client.application?.id ?? this.client.user?.id ?? '';
    const handle = toReplyHandle({
      applicationId,
      channelId: place.channelId,
      userId: place.userId ?? '',
      guildId: place.tenant.id,
      post: true,
    });
    // Without an interaction, Discord names no upload limit: its default for every server.
    return { handle, uploadLimitBytes: Math.min(DEFAULT_UPLOAD_LIMIT, this.options.uploadLimitBytes) };
  }

  notify(to: NoticeTarget, message: string): Promise<void> {
    return this.poster.notify(readHandle(to.handle), message);
  }

  async stop(): Promise<void> {
    this.client.removeAllListeners(Events.InteractionCreate);
    await this.client.destroy();
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand() && this.commands.has(interaction.commandName))
        return await this.onCommand(interaction);
      if (interaction.isButton() && parseButtonId(interaction.customId))
        return await this.onButton(interaction);
      if (interaction.isRepliable())
        await interaction.reply({ content: NOT_OURS, flags: MessageFlags.Ephemeral });
    } catch (error) {
      this.options.logger.warn({ err: error, interactionId: interaction.id }, 'a Discord interaction failed');
    }
  }

  private async onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const receivedAt = Date.now();
    const command = this.commands.get(interaction.commandName);
    if (!command) return;
    const answersPrivately = command.definition.privateAnswer === true;
    const ephemeral = answersPrivately || (interaction.options.getBoolean('private') ?? false);
    // Within 3 s or the interaction is lost: before anything that touches Redis.
    await callDiscord(`deferring /${command.module.name}`, () =>
      interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    );
    const target: ReplyTarget = {
      platform: 'discord',
      kind: 'message',
      replyId: interaction.id,
      handle: interactionHandle(interaction, receivedAt),
    };
    const context = {
      requestId: interaction.id,
      tenant: tenantOf(interaction),
      user: requesterOf(interaction),
      channelId: interaction.channelId,
      receivedAt,
      uploadLimitBytes: uploadLimitOf(interaction, this.options.uploadLimitBytes),
      formatTime: (at: number) => discordTime(at),
    };
    let answer: string | undefined;
    try {
      answer = await command.module.execute(
        { ...optionValues(interaction, this.options.apiUrl), context, target },
        this.requireHandler(),
      );
    } catch (error) {
      // The core could not even answer (Redis went down mid-request): say so instead of "thinking…".
      this.options.logger.warn(
        { err: error, command: command.module.name },
        'a command got no answer from the core',
      );
      answer = UNAVAILABLE;
    }
    // /video answers through its target; the others answer here, to the asker alone.
    if (answer !== undefined)
      await callDiscord(`answering /${command.module.name}`, () =>
        interaction.editReply({ content: answer, allowedMentions: { parse: [] } }),
      );
  }

  private async onButton(interaction: ButtonInteraction): Promise<void> {
    const pressed = parseButtonId(interaction.customId);
    if (!pressed) return;
    const receivedAt = Date.now();
    // Acknowledged at once without changing the message; answers go to the presser as follow-ups.
    await callDiscord('acknowledging a button', () => interaction.deferUpdate());
    const handle = interactionHandle(interaction, receivedAt);
    await this.requireHandler().onButton({
      pressId: interaction.id,
      action: pressed.action,
      presser: {
        tenant: tenantOf(interaction),
        user: requesterOf(interaction),
        channelId: interaction.channelId,
        uploadLimitBytes: uploadLimitOf(interaction, this.options.uploadLimitBytes),
      },
      // The press's token reaches the pressed message as its @original.
      message: { platform: 'discord', kind: 'message', replyId: pressed.replyId, handle },
      notices: { platform: 'discord', handle },
      followUp: {
        platform: 'discord',
        kind: 'message',
        replyId: interaction.id,
        handle: interactionHandle(interaction, receivedAt, { followUp: true }),
      },
      receivedAt,
    });
  }

  private refused(what: string): void {
    if (!this.tokenRefused)
      this.options.logger.error(
        { what },
        'Discord refused the bot token (401): set a valid DISCORD_TOKEN and restart; no more bot-token calls are retried',
      );
    this.tokenRefused = true;
    this.options.onBotTokenRefused?.();
  }

  private requireHandler(): RequestHandler {
    if (!this.handler) throw new Error('the Discord adapter was not started');
    return this.handler;
  }
}

type MakeRequest = NonNullable<NonNullable<ClientOptions['rest']>['makeRequest']>;

/** Node's global fetch in @discordjs/rest's request shape (its types are undici's, not the DOM's). */
const nodeFetch: MakeRequest = (url, init) =>
  fetch(url, init as RequestInit) as unknown as ReturnType<MakeRequest>;
