import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type CommandDefinition, VIDEO_WITHOUT_MODEL } from '../../../commands/index.ts';
import type { ArtifactStore } from '../../artifacts/index.ts';
import {
  type ChatAdapter,
  type NoticeTarget,
  parseButtonId,
  type RenderResult,
  type ReplyTarget,
  type RequestHandler,
  type ShownReply,
} from '../../core/index.ts';
import { isLoopbackHost } from '../../http/index.ts';
import { ClipShelf } from './clip-shelf.ts';
import { FrontDoor } from './front-door.ts';
import { readJson, sendBytes, sendJson, sendTooLarge } from './http-io.ts';
import { PlaygroundMessages } from './message-store.ts';
import type { ShelfLimits } from './picture-shelf.ts';
import { PictureUploads } from './picture-upload.ts';
import {
  buttonSchema,
  commandInfo,
  commandSchema,
  presser,
  replyTarget,
  sessionSchema,
  userMessage,
} from './playground-requests.ts';
import { type PlaygroundMessage, replyView } from './reply-view.ts';
import { answerFailure, UNAVAILABLE } from './request-failure.ts';
import { DEFAULT_STREAM_LIMITS, SessionStreams, type StreamLimits } from './session-streams.ts';
import { StaticFiles } from './static-files.ts';
import { answerTypedLine } from './typed-lines.ts';

export interface PlaygroundOptions {
  port: number;
  host: string;
  /** When set, every request needs it (Bearer, cookie, or `?token=` once). Required beyond loopback. */
  token?: string;
  /**
   * The Host names it answers to (`name`: any port; `name:port`), against DNS rebinding. Default:
   * the listening host and the loopback names at its port (and this machine's names on 0.0.0.0).
   */
  allowedHosts?: readonly string[];
  /** Proxies (IP addresses) whose `X-Forwarded-For` names the client; default none. */
  trustedProxies?: readonly string[];
  redis: Redis;
  /** The spine's artifact store: finished clips are served from it, by reference. */
  artifacts: ArtifactStore;
  keyPrefix: string;
  uploadLimitBytes: number;
  logger: Logger;
  /** /video for the model the bot serves: the typed lines' grammar and help (default: no model's). */
  video?: CommandDefinition;
  /** Bounds on event streams (default {@link DEFAULT_STREAM_LIMITS}). */
  streams?: Partial<StreamLimits>;
  /** Bounds on uploaded pictures waiting for their line (default {@link DEFAULT_SHELF_LIMITS}). */
  pictures?: Partial<ShelfLimits>;
}

/**
 * The web playground: a chat channel in the browser, served by the bot process. It is an adapter
 * like Discord's and Slack's: typed `/video` lines and button clicks become requests through the
 * port, and replies come back through `render` to the page over server-sent events. Each browser tab
 * is its own conversation (a session id kept in the tab); the user that limits and job ownership
 * count is the client's address (IPv6: its /64), so new sessions do not make new quotas.
 * Conversations live in Redis for a day; lines that started no job, for minutes.
 */
export class PlaygroundAdapter implements ChatAdapter {
  readonly platform = 'playground' as const;
  private readonly messages: PlaygroundMessages;
  private readonly clips: ClipShelf;
  private readonly streams: SessionStreams;
  private readonly files = new StaticFiles();
  private readonly uploads: PictureUploads;
  private server?: Server;
  private door?: FrontDoor;
  private handler?: RequestHandler;
  /** Creation times strictly increase, so the page orders a reply after the line that caused it. */
  private lastCreatedAt = 0;

  constructor(private readonly options: PlaygroundOptions) {
    this.messages = new PlaygroundMessages(options.redis, options.keyPrefix);
    this.clips = new ClipShelf(options.redis, options.artifacts, options.keyPrefix);
    this.streams = new SessionStreams({ ...DEFAULT_STREAM_LIMITS, ...options.streams });
    this.uploads = new PictureUploads(options.pictures);
  }

  /** Where the page is, once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    return `http://${this.options.host}:${address?.port ?? this.options.port}/`;
  }

  async start(handler: RequestHandler): Promise<void> {
    const { host, token } = this.options;
    if (!isLoopbackHost(host) && !token)
      throw new Error(`the playground listens on ${host}, beyond this machine, only with a token`);
    this.handler = handler;
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => answerFailure(req, res, err, this.options));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, host, () => {
        this.door = new FrontDoor(this.options, (server.address() as AddressInfo).port);
        resolve();
      });
    });
    this.options.logger.info(
      { url: this.url, hosts: this.door?.hosts },
      `playground: open ${this.url} in a browser`,
    );
  }

  /**
   * A playground message never moves. A refusal is kept briefly, with the line that got it; the
   * first other reply to a line keeps the line for the day with it.
   */
  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    const session = String(target.handle.session);
    const id = String(target.handle.messageId);
    const existing = await this.messages.get(session, id);
    // Another tab of the same address pressed a button on a message that is not in this tab: the
    // message to remove or cancel is not here, and the job's own message gets its final state.
    if (!existing && (reply.kind === 'deleted' || reply.kind === 'cancelled')) return undefined;
    let videoUrl = '';
    if (reply.kind === 'done') {
      await this.clips.show(id, reply.clip);
      videoUrl = `/clips/${id}.mp4`;
    }
    if (reply.kind === 'deleted') await this.clips.remove(id);
    const brief = reply.kind === 'refused';
    await this.publish(
      session,
      {
        id,
        author: 'bot',
        createdAt: existing?.createdAt ?? this.nextCreatedAt(),
        reply: replyView(reply, videoUrl),
      },
      brief,
    );
    if (!brief && !existing && id.startsWith('r-')) await this.messages.keep(session, `u-${id.slice(2)}`);
    return undefined;
  }

  /** A notice is a brief message of its own in the presser's session (every tab of it sees it). */
  async notify(to: NoticeTarget, message: string): Promise<void> {
    const notice = { kind: 'notice' as const, message, buttons: [] };
    await this.publish(
      String(to.handle.session),
      { id: randomUUID(), author: 'bot', createdAt: this.nextCreatedAt(), reply: notice },
      true,
    );
  }

  connected(): boolean {
    return this.server?.listening ?? false;
  }

  async stop(): Promise<void> {
    this.streams.closeAll();
    this.uploads.shelf.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const admitted = this.door?.admit(req, res);
    if (!admitted) return;
    const { url, path, user } = admitted;
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (this.files.serve(path, req, res)) return;
    const clip = /^\/clips\/([A-Za-z0-9-]+)\.mp4$/.exec(path);
    if (clip && (req.method === 'GET' || req.method === 'HEAD')) {
      const bytes = await this.clips.get(clip[1] as string);
      if (!bytes) return sendJson(res, 404, { error: 'That clip has expired.' });
      return sendBytes(req, res, bytes, 'video/mp4');
    }
    if (path === '/api/command' && req.method === 'GET')
      return sendJson(res, 200, commandInfo(this.options.video ?? VIDEO_WITHOUT_MODEL));
    if (path === '/api/events' && req.method === 'GET') {
      const session = sessionSchema.safeParse(url.searchParams.get('session'));
      if (!session.success) return sendJson(res, 400, { error: 'Missing or malformed session.' });
      const full = this.streams.open(session.data, user, res);
      if (full) return sendJson(res, 429, { error: full });
      this.streams.snapshot(res, { messages: await this.messages.all(session.data) });
      return;
    }
    if (req.method === 'POST' && ['/api/command', '/api/button', '/api/images'].includes(path)) {
      const session = sessionSchema.safeParse(req.headers['x-clipbot-session']);
      if (!session.success)
        return sendJson(res, 400, { error: 'Missing or malformed X-Clipbot-Session header.' });
      if (path === '/api/images')
        return this.uploads.receive(req, res, { session: session.data, user }, url.searchParams.get('name'));
      const body = await readJson(req);
      if (body.kind === 'too-large') return sendTooLarge(res);
      const value = body.kind === 'json' ? body.value : undefined;
      if (path === '/api/command') return this.onCommand(session.data, user, value, res);
      return this.onButton(session.data, user, value, res);
    }
    sendJson(res, 404, { error: 'Not found.' });
  }

  private async onCommand(session: string, user: string, body: unknown, res: ServerResponse): Promise<void> {
    const command = commandSchema.safeParse(body);
    if (!command.success)
      return sendJson(res, 400, { error: 'Send JSON like {"text": "/video a red ball"}.' });
    const handler = this.requireHandler();
    const { text, imageId } = command.data;
    const image = imageId === undefined ? undefined : (this.uploads.shelf.get(session, imageId) ?? 'gone');
    // Ids from the page's request id: a retried POST shows the same two messages, queues nothing twice.
    const requestId = command.data.requestId ?? randomUUID();
    const userLine = `u-${requestId}`;
    // Brief until the core answers it with anything but a refusal (render keeps it then). A retry
    // shows the stored line again and stores nothing: a line the core ignores stays brief.
    const existing = await this.messages.get(session, userLine);
    if (existing) this.streams.send(session, 'message', existing);
    else await this.publish(session, userMessage(userLine, this.nextCreatedAt(), text, image), true);
    const target = replyTarget(session, `r-${requestId}`);
    sendJson(res, 202, { messageId: target.handle.messageId });
    await answerTypedLine(
      { text, user, requestId, target, ...(image ? { image } : {}) },
      {
        video: this.options.video ?? VIDEO_WITHOUT_MODEL,
        handler,
        uploadLimitBytes: this.options.uploadLimitBytes,
        notify: (message) => this.notify({ platform: 'playground', handle: { session } }, message),
        render: (reply) => this.render(target, reply),
        couldNotAnswer: (error) => this.couldNotAnswer(target, requestId, error),
      },
    );
  }

  /**
   * The core could not even answer (Redis went down mid-request): the page is told at once, over
   * its open streams, and the answer is kept if Redis takes it; the line is never left unanswered.
   */
  private async couldNotAnswer(target: ReplyTarget, jobId: string, error: unknown): Promise<void> {
    this.options.logger.warn({ err: error }, 'a request got no answer from the core');
    const session = String(target.handle.session);
    const message: PlaygroundMessage = {
      id: String(target.handle.messageId),
      author: 'bot',
      createdAt: this.nextCreatedAt(),
      reply: { kind: 'failed', jobId, message: UNAVAILABLE, buttons: [] },
    };
    this.streams.send(session, 'message', message);
    await this.messages.save(session, message, true).catch(() => undefined);
  }

  private async onButton(session: string, user: string, body: unknown, res: ServerResponse): Promise<void> {
    const button = buttonSchema.safeParse(body);
    const pressed = button.success ? parseButtonId(button.data.customId) : undefined;
    if (!button.success || !pressed)
      return sendJson(res, 400, { error: 'Send JSON like {"customId": "video:cancel:…"}.' });
    const handler = this.requireHandler();
    const pressId = button.data.pressId ?? randomUUID();
    const followUp = replyTarget(session, `r-${pressId}`);
    sendJson(res, 202, pressed.action === 'reroll' ? { messageId: followUp.handle.messageId } : {});
    // The pressed message is looked for in the presser's own session: the core renders to it only
    // for its owner (the address that asked), and render leaves a message that is not there alone.
    await handler.onButton({
      pressId,
      action: pressed.action,
      presser: presser(user, this.options.uploadLimitBytes),
      message: replyTarget(session, pressed.replyId),
      notices: { platform: 'playground', handle: { session } },
      followUp,
      receivedAt: Date.now(),
    });
  }

  private async publish(session: string, message: PlaygroundMessage, brief = false): Promise<void> {
    await this.messages.save(session, message, brief);
    this.streams.send(session, 'message', message);
  }

  private nextCreatedAt(): number {
    this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt + 1);
    return this.lastCreatedAt;
  }

  private requireHandler(): RequestHandler {
    if (!this.handler) throw new Error('the playground adapter was not started');
    return this.handler;
  }
}
