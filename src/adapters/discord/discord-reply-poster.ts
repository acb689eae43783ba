import {
  type APIAllowedMentions,
  type APIChannel,
  type APIMessage,
  MessageFlags,
  type RawFile,
  type REST,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import type { PostOrigin, ShownReply } from '../../core/index.ts';
import {
  callDiscord,
  DiscordCallError,
  isBotTokenRefused,
  isExpiredToken,
  isGone,
  isNoAccess,
} from './discord-calls.ts';
import { type DiscordHandle, tokenAlive } from './discord-handle.ts';
import { type DiscordView, discordView } from './discord-reply-view.ts';

/** Interaction tokens found dead, remembered (they live 15 minutes anyway; the set is emptied when full). */
const MAX_DEAD_TOKENS = 10_000;

/** Echoed prompts ping nobody: no @everyone, no roles, no users. */
const NO_MENTIONS: APIAllowedMentions = { parse: [] };

/**
 * Renders replies through Discord's REST API. While the interaction token lives, through the
 * interaction's webhook (the deferred response, or a follow-up); after it (15 minutes, or Discord
 * says it is gone), as a message the bot posts with its own token in the channel, mentioning the
 * requester alone, or in a DM when the reply is private or the channel refuses the bot. Returns the
 * handle the reply moved to, when it moved.
 */
export class DiscordReplyPoster {
  private tokenRefused = false;
  private readonly deadTokens = new Set<string>();

  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
    /** Discord refused the bot token (401): counted and logged by the adapter, never retried here. */
    private readonly onBotTokenRefused: (what: string) => void,
  ) {}

  async render(
    handle: DiscordHandle,
    reply: ShownReply,
    origin?: PostOrigin,
  ): Promise<DiscordHandle | undefined> {
    if (handle.post) return this.viaBot(handle, reply, origin);
    if (tokenAlive(handle) && !this.deadTokens.has(handle.token)) {
      try {
        return await this.viaInteraction(handle, reply);
      } catch (error) {
        if (!isExpiredToken(error)) throw error;
        this.buried(handle.token);
        this.logger.info(
          { err: error },
          'the interaction token no longer works: the reply moves to a bot message',
        );
      }
    }
    return this.viaBot(handle, reply);
  }

  /**
   * A token Discord refused is not tried again by this process: every refused call counts towards
   * Discord's invalid-request ban, and the reply's later renders would otherwise each try it first
   * while its move to a bot message keeps failing.
   */
  private buried(token: string): void {
    if (this.deadTokens.size >= MAX_DEAD_TOKENS) this.deadTokens.clear();
    this.deadTokens.add(token);
  }

  /** A short ephemeral answer to the person whose interaction `handle` holds. */
  async notify(handle: DiscordHandle, message: string): Promise<void> {
    if (!tokenAlive(handle)) {
      this.logger.info('a notice came after its interaction token expired: not shown');
      return;
    }
    const { applicationId, token } = handle;
    await callDiscord('sending a notice', () =>
      this.rest.post(Routes.webhook(applicationId, token), {
        body: { content: message, flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS },
        auth: false,
      }),
    );
  }

  private async viaInteraction(
    handle: DiscordHandle & { token: string },
    reply: ShownReply,
  ): Promise<DiscordHandle | undefined> {
    const { applicationId, token } = handle;
    const messageId = handle.messageId ?? '@original';
    if (reply.kind === 'deleted') {
      if (!handle.followUp)
        await this.ignoringGone(
          () => this.rest.delete(Routes.webhookMessage(applicationId, token, messageId), { auth: false }),
          'deleting the reply',
        );
      return undefined;
    }
    const view = discordView(reply);
    // A refusal is for its asker alone, also when they asked in public. Discord cannot make a
    // public response ephemeral: the refusal goes as an ephemeral follow-up, the public "thinking…" goes.
    const alone = reply.kind === 'refused' && !reply.private && handle.messageId === undefined;
    if (handle.followUp || alone) {
      const flags = reply.private || alone ? MessageFlags.Ephemeral : undefined;
      const posted = (await callDiscord('posting a follow-up', () =>
        this.rest.post(Routes.webhook(applicationId, token), {
          ...payload(view, NO_MENTIONS, flags),
          query: new URLSearchParams({ wait: 'true' }),
          auth: false,
        }),
      )) as APIMessage;
      if (alone && !handle.followUp)
        await callDiscord('removing the public response to a refused request', () =>
          this.rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false }),
        ).catch((error: unknown) =>
          this.logger.info({ err: error }, 'could not remove a refused request’s response'),
        );
      return { ...handle, followUp: undefined, messageId: posted.id };
    }
    await callDiscord('editing the reply', () =>
      this.rest.patch(Routes.webhookMessage(applicationId, token, messageId), {
        ...payload(view, NO_MENTIONS),
        auth: false,
      }),
    );
    return undefined;
  }

  private async viaBot(
    handle: DiscordHandle,
    reply: ShownReply,
    origin?: PostOrigin,
  ): Promise<DiscordHandle | undefined> {
    const posted = handle.token === undefined ? handle.messageId : undefined;
    if (reply.kind === 'deleted') {
      if (posted)
        await this.asBot('deleting the reply', () =>
          this.ignoringGone(
            () => this.rest.delete(Routes.channelMessage(handle.channelId, posted)),
            'deleting the reply',
          ),
        );
      return undefined;
    }
    const view = discordView(reply, Date.now(), origin);
    // A channel message mentions its requester (they may not be looking); a DM needs no mention, and
    // a post of the bot's own is for the channel: it pings no one.
    const mention = handle.guildId !== undefined && !reply.private && !handle.post;
    if (posted) {
      await this.asBot('editing the reply', () =>
        this.rest.patch(Routes.channelMessage(handle.channelId, posted), {
          ...payload(mention ? mentioning(view, handle.userId) : view, mentions(mention, handle.userId)),
        }),
      );
      return undefined;
    }
    // A refused post is for the person it names (a schedule's owner), not the channel.
    const alone = reply.private || handle.guildId === undefined || (handle.post && reply.kind === 'refused');
    const where = alone ? 'dm' : 'channel';
    const message =
      where === 'channel'
        ? await this.postInChannel(handle, mention ? mentioning(view, handle.userId) : view, mention).catch(
            (error: unknown) => {
              if (!isNoAccess(error)) throw error;
              this.logger.warn(
                { err: error, channelId: handle.channelId },
                'the bot may not post in this channel (check its permissions there): the reply goes to a DM',
              );
              return undefined;
            },
          )
        : undefined;
    if (message) return moved(handle, message);
    if (handle.userId === '') {
      this.logger.warn(
        { channelId: handle.channelId, kind: reply.kind },
        'a post the bot could not show, and no one to tell',
      );
      return undefined;
    }
    // A DM has no guild: later edits there mention no one.
    const { guildId: _none, ...inDm } = handle;
    return moved(inDm, await this.postInDm(handle.userId, view));
  }

  private async postInChannel(
    handle: DiscordHandle,
    view: DiscordView,
    mention: boolean,
  ): Promise<APIMessage> {
    return (await this.asBot('posting the reply in its channel', () =>
      this.rest.post(
        Routes.channelMessages(handle.channelId),
        payload(view, mentions(mention, handle.userId)),
      ),
    )) as APIMessage;
  }

  private async postInDm(userId: string, view: DiscordView): Promise<APIMessage> {
    const channel = (await this.asBot('opening a DM', () =>
      this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }),
    )) as APIChannel;
    return (await this.asBot('posting the reply in a DM', () =>
      this.rest.post(Routes.channelMessages(channel.id), payload(view, NO_MENTIONS)),
    )) as APIMessage;
  }

  /**
   * A bot-token call. Once Discord refused the token, no bot-token call leaves this process again
   * (a loop of 401s ends in an IP ban): each fails at once until the bot restarts with a new token.
   */
  private async asBot<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.tokenRefused)
      throw new DiscordCallError(what, 401, undefined, 'the bot token was refused earlier; not sent again');
    try {
      return await callDiscord(what, call);
    } catch (error) {
      if (isBotTokenRefused(error)) {
        this.tokenRefused = true;
        this.onBotTokenRefused(what);
      }
      throw error;
    }
  }

  private async ignoringGone(call: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await callDiscord(what, call);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
}

/** The reply's new home: a message posted with the bot token (no interaction token any more). */
function moved(handle: DiscordHandle, message: APIMessage): DiscordHandle {
  const { token: _expired, tokenAt: _at, followUp: _posted, ...rest } = handle;
  return { ...rest, channelId: message.channel_id, messageId: message.id };
}

function mentioning(view: DiscordView, userId: string): DiscordView {
  return { ...view, content: `<@${userId}> ${view.content}` };
}

function mentions(mention: boolean, userId: string): APIAllowedMentions {
  return mention ? { parse: [], users: [userId] } : NO_MENTIONS;
}

/** A message body with the view's text and buttons, and its clip as the one attachment. */
function payload(
  view: DiscordView,
  allowedMentions: APIAllowedMentions,
  flags?: number,
): { body: Record<string, unknown>; files?: RawFile[] } {
  const body: Record<string, unknown> = {
    content: view.content,
    components: view.components,
    allowed_mentions: allowedMentions,
    ...(flags !== undefined ? { flags } : {}),
  };
  if (!view.file) return { body };
  body.attachments = [{ id: 0, filename: view.file.name }];
  return { body, files: [{ name: view.file.name, data: view.file.data, contentType: 'video/mp4' }] };
}
