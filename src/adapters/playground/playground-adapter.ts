import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  type CommandDefinition,
  optionSyntax,
  parseCommandLine,
  VIDEO_WITHOUT_MODEL,
  videoCommand,
} from '../../../commands/index.ts';
import { RedisArtifactStore } from '../../artifacts/index.ts';
import {
  type ChatAdapter,
  type NoticeTarget,
  parseButtonId,
  type RenderResult,
  type ReplyTarget,
  type RequestHandler,
  type ShownReply,
  type VideoRequest,
} from '../../core/index.ts';
import { authenticate, rejectUnauthenticated } from '../../http/index.ts';
import { readJson, sendBytes, sendJson } from './http-io.ts';
import { PlaygroundMessages } from './message-store.ts';
import { type PlaygroundMessage, replyView } from './reply-view.ts';
import { SessionStreams } from './session-streams.ts';
import { StaticFiles } from './static-files.ts';

export interface PlaygroundOptions {
  port: number;
  host: string;
  /** When set, every request needs it (Bearer, cookie, or `?token=` once). */
  token?: string;
  redis: Redis;
  keyPrefix: string;
  uploadLimitBytes: number;
  logger: Logger;
  /** /video for the model the bot serves: the typed lines' grammar and help (default: no model's). */
  video?: CommandDefinition;
}

const CLIP_KEEP_MS = 24 * 3_600_000;
const TENANT = { platform: 'playground', id: 'playground' } as const;
const CHANNEL = 'playground';

const sessionSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const idSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
/** `requestId`, made by the page, lets a retried POST be recognised and queued once. */
const commandSchema = z.object({ text: z.string().min(1).max(2_000), requestId: idSchema.optional() });
const buttonSchema = z.object({ customId: z.string().min(1).max(100), pressId: idSchema.optional() });

/**
 * The web playground: a chat channel in the browser, served by the bot process. It is an adapter
 * like Discord's and Slack's: typed `/video` lines and button clicks become requests through the
 * port, and replies come back through `render` to the page over server-sent events. Each browser tab
 * is its own user (a session id kept in the tab); conversations and clips live in Redis for a day.
 */
export class PlaygroundAdapter implements ChatAdapter {
  readonly platform = 'playground' as const;
  private readonly messages: PlaygroundMessages;
  private readonly clips: RedisArtifactStore;
  private readonly streams = new SessionStreams();
  private readonly files = new StaticFiles();
  private server?: Server;
  private handler?: RequestHandler;
  /** Creation times strictly increase, so the page orders a reply after the line that caused it. */
  private lastCreatedAt = 0;

  constructor(private readonly options: PlaygroundOptions) {
    this.messages = new PlaygroundMessages(options.redis, options.keyPrefix);
    this.clips = new RedisArtifactStore(options.redis, CLIP_KEEP_MS, `${options.keyPrefix}:playground:clip:`);
  }

  /** Where the page is, once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    return `http://${this.options.host}:${address?.port ?? this.options.port}/`;
  }

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        this.options.logger.error({ err, path: req.url }, 'playground request failed');
        if (!res.headersSent)
          sendJson(res, 500, { error: 'Something went wrong on our side. Please try again.' });
        else res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.options.logger.info({ url: this.url }, `playground: open ${this.url} in a browser`);
  }

  /** A playground message never moves: the page keeps every message for a day. */
  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    const session = String(target.handle.session);
    const id = String(target.handle.messageId);
    let videoUrl = '';
    if (reply.kind === 'done') {
      await this.clips.put(id, reply.clip.bytes);
      videoUrl = `/clips/${id}.mp4`;
    }
    const existing = await this.messages.get(session, id);
    await this.publish(session, {
      id,
      author: 'bot',
      createdAt: existing?.createdAt ?? this.nextCreatedAt(),
      reply: replyView(reply, videoUrl),
    });
    return undefined;
  }

  /** A notice is a message of its own in the presser's session (every tab of that user sees it). */
  async notify(to: NoticeTarget, message: string): Promise<void> {
    await this.publish(String(to.handle.session), {
      id: randomUUID(),
      author: 'bot',
      createdAt: this.nextCreatedAt(),
      reply: { kind: 'notice', message, buttons: [] },
    });
  }

  async stop(): Promise<void> {
    this.streams.closeAll();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground.invalid');
    let path = url.pathname;
    if (this.options.token) {
      const auth = authenticate(req, this.options.token, 'clipbot_playground');
      if (!auth.ok) return rejectUnauthenticated(res, 'clipbot playground');
      if (auth.setCookie) res.setHeader('set-cookie', auth.setCookie);
      path = auth.path;
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (this.files.serve(path, req, res)) return;
    const clip = /^\/clips\/([A-Za-z0-9-]+)\.mp4$/.exec(path);
    if (clip && (req.method === 'GET' || req.method === 'HEAD')) {
      const bytes = await this.clips.get(clip[1] as string);
      if (!bytes) return sendJson(res, 404, { error: 'That clip has expired.' });
      return sendBytes(req, res, bytes, 'video/mp4');
    }
    if (path === '/api/command' && req.method === 'GET') {
      // What the page's syntax line and Options form offer: the same definition the grammar reads.
      const definition = this.options.video ?? VIDEO_WITHOUT_MODEL;
      return sendJson(res, 200, {
        options: definition.options,
        syntax: definition.options
          .filter((o) => o.name !== definition.positional)
          .map((o) => optionSyntax(o, definition))
          .join(' '),
      });
    }
    if (path === '/api/events' && req.method === 'GET') {
      const session = sessionSchema.safeParse(url.searchParams.get('session'));
      if (!session.success) return sendJson(res, 400, { error: 'Missing or malformed session.' });
      this.streams.open(session.data, res);
      this.streams.send(session.data, 'snapshot', { messages: await this.messages.all(session.data) }, res);
      return;
    }
    if (req.method === 'POST' && (path === '/api/command' || path === '/api/button')) {
      const session = sessionSchema.safeParse(req.headers['x-clipbot-session']);
      if (!session.success)
        return sendJson(res, 400, { error: 'Missing or malformed X-Clipbot-Session header.' });
      const body = await readJson(req);
      if (path === '/api/command') return this.onCommand(session.data, body, res);
      return this.onButton(session.data, body, res);
    }
    sendJson(res, 404, { error: 'Not found.' });
  }

  private async onCommand(session: string, body: unknown, res: ServerResponse): Promise<void> {
    const command = commandSchema.safeParse(body);
    if (!command.success)
      return sendJson(res, 400, { error: 'Send JSON like {"text": "/video a red ball"}.' });
    const handler = this.requireHandler();
    const { text } = command.data;
    // Ids from the page's request id: a retried POST rewrites the same two messages, queues nothing twice.
    const requestId = command.data.requestId ?? randomUUID();
    const userLine = `u-${requestId}`;
    const existing = await this.messages.get(session, userLine);
    const createdAt = existing?.createdAt ?? this.nextCreatedAt();
    await this.publish(session, { id: userLine, author: 'user', createdAt, text });
    const target = this.target(session, `r-${requestId}`);
    sendJson(res, 202, { messageId: target.handle.messageId });
    const parsed = parseCommandLine(this.options.video ?? VIDEO_WITHOUT_MODEL, text);
    if (parsed.kind === 'help')
      return this.notify({ platform: 'playground', handle: { session } }, parsed.text);
    if (parsed.kind === 'invalid') {
      await this.render(target, {
        kind: 'refused',
        reason: 'invalid-input',
        message: parsed.message,
        buttons: [],
        private: false,
      });
      return;
    }
    const context = this.request(session, requestId, '', {});
    await videoCommand.execute({ values: parsed.values, context, target }, handler);
  }

  private async onButton(session: string, body: unknown, res: ServerResponse): Promise<void> {
    const button = buttonSchema.safeParse(body);
    const pressed = button.success ? parseButtonId(button.data.customId) : undefined;
    if (!button.success || !pressed)
      return sendJson(res, 400, { error: 'Send JSON like {"customId": "video:cancel:…"}.' });
    const handler = this.requireHandler();
    const pressId = button.data.pressId ?? randomUUID();
    const followUp = this.target(session, `r-${pressId}`);
    sendJson(res, 202, pressed.action === 'reroll' ? { messageId: followUp.handle.messageId } : {});
    // The pressed message is looked for in the presser's own session: the core renders to it only
    // for its owner (the session that asked), so another session's press changes nothing there.
    await handler.onButton({
      pressId,
      action: pressed.action,
      presser: {
        tenant: TENANT,
        user: { id: session },
        channelId: CHANNEL,
        uploadLimitBytes: this.options.uploadLimitBytes,
      },
      message: this.target(session, pressed.replyId),
      notices: { platform: 'playground', handle: { session } },
      followUp,
      receivedAt: Date.now(),
    });
  }

  private request(
    session: string,
    requestId: string,
    prompt: string,
    options: VideoRequest['options'],
  ): VideoRequest {
    return {
      requestId,
      tenant: TENANT,
      user: { id: session },
      channelId: CHANNEL,
      prompt,
      options,
      receivedAt: Date.now(),
      uploadLimitBytes: this.options.uploadLimitBytes,
    };
  }

  /** A reply in `session`: its message id is its reply id (playground messages never move). */
  private target(session: string, replyId: string): ReplyTarget & { handle: { messageId: string } } {
    return { platform: 'playground', kind: 'message', replyId, handle: { session, messageId: replyId } };
  }
  private async publish(session: string, message: PlaygroundMessage): Promise<void> {
    await this.messages.save(session, message);
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
