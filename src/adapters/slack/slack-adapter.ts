import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type SlackCommandMiddlewareArgs, SocketModeReceiver } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CommandModule, ModelFacts } from '../../../commands/index.ts';
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
import { boltLogger } from './bolt-logger.ts';
import { listenForUninstalls, type RedisInstallationStore } from './installation-store.ts';
import { type BotTokenSource, SlackClients } from './slack-clients.ts';
import { SlackFileImages } from './slack-file-image.ts';
import {
  slackMessageHandleSchema,
  slackNoticeHandleSchema,
  slackStepHandleSchema,
  toReplyHandle,
} from './slack-handle.ts';
import { SlackPeople } from './slack-people.ts';
import { SlackReplyPoster } from './slack-reply-poster.ts';
import { SlackSlashCommands } from './slack-slash-commands.ts';
import { GENERATE_VIDEO_STEP, stepRequest } from './slack-workflow-step.ts';

export interface SlackAdapterOptions {
  signingSecret: string;
  /** One workspace: its bot token (xoxb-). Unset with `oauth`: each workspace's from its installation. */
  botToken?: string;
  /** Socket Mode's app-level token (xapp-): no public URL needed. Unset: Bolt's HTTP receiver. */
  appToken?: string;
  /** Many workspaces through Bolt's OAuth installer (/slack/install), installations kept in Redis. */
  oauth?: {
    clientId: string;
    clientSecret: string;
    stateSecret: string;
    installationStore: RedisInstallationStore;
    scopes: readonly string[];
  };
  /** The Web API base, ending in a slash (https://slack.com/api/). */
  apiUrl: string;
  /** Where Bolt's HTTP receiver listens (unused in Socket Mode). */
  port: number;
  host: string;
  /** Redis and key prefix: a retried slash command is recognised before anything is posted. */
  redis: Redis;
  keyPrefix: string;
  uploadLimitBytes: number;
  logger: Logger;
  /** The chat commands (commands/) and the model's facts for their definitions. */
  commands: readonly CommandModule[];
  facts: ModelFacts;
}

/**
 * Slack behind the port, on Bolt: `/video` (with `queue`, `admin` and `help`), Block Kit buttons,
 * and the Workflow Builder step "Generate video". Every request is acknowledged at once; replies are
 * messages the bot posts and updates with its own token (a response_url lasts 30 minutes and 5
 * uses), so rendering needs nothing but the handle kept with the job: it works from any Slack bot
 * process and after restarts.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  private readonly app: App;
  private readonly poster: SlackReplyPoster;
  private readonly people: SlackPeople;
  private readonly slash: SlackSlashCommands;
  private handler?: RequestHandler;
  /** Socket Mode's receiver, whose connection state /healthz reports (one workspace). */
  private readonly socket?: SocketModeReceiver;
  private up = false;
  private port?: number;

  constructor(private readonly options: SlackAdapterOptions) {
    const { oauth } = options;
    const tokens: BotTokenSource = async (teamId) => {
      if (options.botToken) return options.botToken;
      // Workspace installs only: an org-wide (Enterprise Grid) install is kept under its enterprise.
      const installation = await oauth?.installationStore.find({ teamId, isEnterpriseInstall: false });
      const token = installation?.bot?.token;
      if (!token) throw new Error(`clipbot is not installed in Slack workspace ${teamId}`);
      return token;
    };
    const clients = new SlackClients(options.apiUrl, tokens);
    this.poster = new SlackReplyPoster(clients, options.logger);
    this.people = new SlackPeople(clients);
    this.socket = options.appToken && !oauth ? socketReceiver(options.appToken, options) : undefined;
    this.socket?.client.on('connected', () => {
      this.up = true;
    });
    // 'close' is the socket going away: the client then waits its ping timeout before 'reconnecting'.
    for (const lost of ['close', 'disconnected', 'reconnecting'])
      this.socket?.client.on(lost, () => {
        this.up = false;
      });
    this.app = new App({
      signingSecret: options.signingSecret,
      ...(this.socket
        ? { receiver: this.socket }
        : options.appToken
          ? { appToken: options.appToken, socketMode: true }
          : {}),
      ...(oauth
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            installationStore: oauth.installationStore,
            scopes: [...oauth.scopes],
            installerOptions: { directInstall: true },
          }
        : { token: options.botToken }),
      // Bolt changes the object it is given: a fresh one for each App (DESIGN.md).
      clientOptions: { slackApiUrl: options.apiUrl },
      logger: boltLogger(options.logger),
      deferInitialization: true,
    });
    this.slash = new SlackSlashCommands({
      ...options,
      poster: this.poster,
      people: this.people,
      images: new SlackFileImages(clients, options.apiUrl, options.logger),
    });
  }

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
    this.slash.handler = handler;
    this.app.command('/video', (args) => this.onSlashCommand(args));
    this.app.action(/^video:/, async ({ ack, body }) => {
      await ack();
      await this.onButton(body as BlockAction);
    });
    this.app.function(GENERATE_VIDEO_STEP, async ({ event, body }) => {
      const teamId = (body as { team_id?: string }).team_id ?? '';
      const { request, target } = stepRequest(teamId, event, this.options.uploadLimitBytes);
      await this.requireHandler()
        .onVideoRequest(request, target)
        .catch((error: unknown) => this.render(target, failedNow(error)));
    });
    if (this.options.oauth)
      listenForUninstalls(this.app, this.options.oauth.installationStore, this.options.logger);
    this.app.error(async (error) => {
      this.options.logger.warn({ err: error }, 'a Slack request failed');
    });
    await this.app.init();
    if (this.options.appToken) await this.app.start();
    else {
      const server = (await this.app.start({ port: this.options.port, host: this.options.host })) as Server;
      this.port = (server.address() as AddressInfo).port;
    }
    // Over HTTP, listening is being up; in Socket Mode the receiver's connection says so.
    if (!this.socket) this.up = true;
    this.options.logger.info(
      {
        mode: this.options.appToken ? 'socket' : 'http',
        port: this.options.appToken ? undefined : this.options.port,
      },
      'connected to Slack',
    );
  }

  /** Where Slack sends events in HTTP mode (`/slack/events`); undefined in Socket Mode or before start. */
  get eventsUrl(): string | undefined {
    return this.port === undefined ? undefined : `http://${this.options.host}:${this.port}/slack/events`;
  }

  connected(): boolean {
    return this.up;
  }

  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    if (target.kind === 'workflow') {
      await this.poster.completeStep(slackStepHandleSchema.parse(target.handle), reply);
      return undefined;
    }
    const moved = await this.poster.render(
      slackMessageHandleSchema.parse(target.handle),
      reply,
      target.origin,
    );
    return moved ? { movedTo: toReplyHandle(moved) } : undefined;
  }

  postTarget(place: PostPlace): { handle: ReplyHandle; uploadLimitBytes: number } {
    const handle = toReplyHandle({
      teamId: place.tenant.id,
      channelId: place.channelId,
      userId: place.userId ?? '',
      post: true,
    });
    return { handle, uploadLimitBytes: this.options.uploadLimitBytes };
  }

  notify(to: NoticeTarget, message: string): Promise<void> {
    return this.poster.notify(slackNoticeHandleSchema.parse(to.handle), message);
  }

  async stop(): Promise<void> {
    this.up = false;
    await this.app.stop();
  }

  private async onSlashCommand({
    ack,
    command,
    respond,
    context,
  }: SlackCommandMiddlewareArgs & { context: { retryNum?: number } }) {
    await ack();
    await this.slash.answer(
      command,
      (text) => respond({ response_type: 'ephemeral', text }),
      context.retryNum,
    );
  }

  private async onButton(body: BlockAction): Promise<void> {
    const action = body.actions[0];
    const pressed = action && 'action_id' in action ? parseButtonId(action.action_id) : undefined;
    const teamId = body.team?.id ?? body.user.team_id;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (!pressed || !teamId || !channelId) return;
    const receivedAt = Date.now();
    const userId = body.user.id;
    const base = { teamId, channelId, userId };
    await this.requireHandler().onButton({
      pressId: body.trigger_id,
      action: pressed.action,
      presser: {
        tenant: { platform: 'slack', id: teamId },
        user: await this.people.requester(teamId, userId, body.user.username),
        channelId,
        uploadLimitBytes: this.options.uploadLimitBytes,
      },
      // The message keeps naming its requester, not the presser, when the press edits it.
      message: {
        platform: 'slack',
        kind: 'message',
        replyId: pressed.replyId,
        handle: toReplyHandle({ ...base, userId: askerIn(body.message) ?? userId, ts }),
      },
      notices: { platform: 'slack', handle: base },
      followUp: { platform: 'slack', kind: 'message', replyId: body.trigger_id, handle: base },
      receivedAt,
    });
  }

  private requireHandler(): RequestHandler {
    if (!this.handler) throw new Error('the Slack adapter was not started');
    return this.handler;
  }
}

/** A step the core could not even take (Redis down): it fails now rather than hang. */
function failedNow(error: unknown): ShownReply {
  const message = `clipbot is unavailable for a moment (${error instanceof Error ? error.name : 'error'}). Please run the step again in a minute.`;
  return { kind: 'failed', jobId: '', message, buttons: [], private: false };
}

/** The requester a reply's message names in its "asked by <@U…>" line, if it has one. */
function askerIn(message: BlockAction['message']): string | undefined {
  const blocks = (message?.blocks ?? []) as { type?: string; elements?: { text?: string }[] }[];
  for (const block of blocks)
    if (block.type === 'context')
      for (const element of block.elements ?? []) {
        const found = /^asked by <@([A-Z0-9]+)>$/.exec(element.text ?? '');
        if (found) return found[1];
      }
  return undefined;
}

/**
 * Socket Mode's receiver, made here so its connection can be watched. Its own Web API client (for
 * apps.connections.open) takes the API URL from installerOptions, in an object of its own.
 */
function socketReceiver(
  appToken: string,
  options: Pick<SlackAdapterOptions, 'apiUrl' | 'logger'>,
): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken,
    logger: boltLogger(options.logger),
    installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
  });
}
