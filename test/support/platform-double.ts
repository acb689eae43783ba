import {
  type ButtonAction,
  type ChatAdapter,
  isFinal,
  type NoticeTarget,
  type Platform,
  type RenderResult,
  type ReplyTarget,
  type RequestHandler,
  type ShownReply,
  type VideoRequest,
} from '../../src/core/index.ts';

/** A message as the double's users see it. */
interface DoubleMessage {
  id: string;
  /** Whose request the message answers. */
  owner?: string;
  /** Set for ephemeral messages (notices): only this user sees them. */
  onlyFor?: string;
  reply?: ShownReply;
  notice?: string;
  deleted: boolean;
}

/**
 * An in-test stand-in for a chat platform whose messages move and whose workflow steps have no
 * message, as Discord and Slack do: a reply is opened through a short-lived token (Discord's
 * interaction token); once `expire` kills the token, the next render must post a new message and
 * say where it went. Notices are ephemeral, seen by one user. Workflow steps record each completion.
 * It implements the port for real; only the platform's servers are imagined.
 */
export class PlatformDouble implements ChatAdapter {
  handler?: RequestHandler;
  private readonly messages: DoubleMessage[] = [];
  /** Token → the message it opened. */
  private readonly opened = new Map<string, string>();
  /** Token → the user whose event made it. */
  private readonly tokenOwners = new Map<string, string>();
  private readonly expired = new Set<string>();
  readonly completions = new Map<string, string[]>();
  /** States the core must never send (progress to a workflow step, edits of deleted messages). */
  readonly violations: string[] = [];
  private next = 0;

  constructor(readonly platform: Platform = 'slack') {}

  async start(handler: RequestHandler): Promise<void> {
    this.handler = handler;
  }

  connected(): boolean {
    return true;
  }

  async stop(): Promise<void> {}

  async render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult> {
    if (target.kind === 'workflow') {
      if (!isFinal(reply)) this.violations.push(`${reply.kind} rendered to workflow ${target.replyId}`);
      const step = String(target.handle.step);
      this.completions.set(step, [...(this.completions.get(step) ?? []), reply.kind]);
      return undefined;
    }
    const { messageId, token } = target.handle;
    if (typeof messageId === 'string') {
      this.show(this.find(messageId), reply);
      return undefined;
    }
    const tokenId = String(token);
    const owner = this.tokenOwners.get(tokenId);
    if (this.expired.has(tokenId)) {
      const moved = this.post(reply, owner);
      return { movedTo: { messageId: moved.id } };
    }
    const openedId = this.opened.get(tokenId);
    if (openedId) this.show(this.find(openedId), reply);
    else this.opened.set(tokenId, this.post(reply, owner).id);
    return undefined;
  }

  async notify(to: NoticeTarget, message: string): Promise<void> {
    this.messages.push({
      id: `n${++this.next}`,
      onlyFor: String(to.handle.user),
      notice: message,
      deleted: false,
    });
  }

  /** The token that opened reply `replyId` dies: the next render posts a new message. */
  expire(replyId: string): void {
    this.expired.add(replyId);
  }

  /** `user`'s side of the conversation: replies to their requests and notices to them, oldest first. */
  seenBy(user: string): DoubleMessage[] {
    return this.messages.filter((m) => !m.deleted && (m.owner === user || m.onlyFor === user));
  }

  /** `user` sends /video (the request's id is the platform's event id). */
  send(user: string, requestId: string, prompt: string, options: VideoRequest['options']): Promise<void> {
    this.tokenOwners.set(requestId, user);
    return this.requireHandler().onVideoRequest(this.request(user, requestId, prompt, options), {
      platform: this.platform,
      kind: 'message',
      replyId: requestId,
      handle: { token: requestId },
    });
  }

  /** `user` starts a workflow step that makes a clip. */
  startStep(user: string, stepId: string, prompt: string, options: VideoRequest['options']): Promise<void> {
    return this.requireHandler().onVideoRequest(this.request(user, stepId, prompt, options), {
      platform: this.platform,
      kind: 'workflow',
      replyId: stepId,
      handle: { step: stepId },
    });
  }

  /** `user` presses a button of message `messageId`. */
  press(user: string, messageId: string, customId: string, pressId: string): Promise<void> {
    const [, action, replyId] = customId.split(':') as [string, ButtonAction, string];
    this.tokenOwners.set(pressId, user);
    return this.requireHandler().onButton({
      pressId,
      action,
      presser: this.presser(user),
      message: { platform: this.platform, kind: 'message', replyId, handle: { messageId } },
      notices: { platform: this.platform, handle: { user } },
      followUp: { platform: this.platform, kind: 'message', replyId: pressId, handle: { token: pressId } },
      receivedAt: Date.now(),
    });
  }

  private presser(user: string) {
    return {
      tenant: { platform: this.platform, id: 'T0001' },
      user: { id: user },
      channelId: 'C0001',
      uploadLimitBytes: 10 * 1024 * 1024,
    };
  }

  private request(user: string, requestId: string, prompt: string, options: VideoRequest['options']) {
    return { requestId, ...this.presser(user), prompt, options, receivedAt: Date.now() };
  }

  private post(reply: ShownReply, owner: string | undefined): DoubleMessage {
    const message: DoubleMessage = { id: `m${++this.next}`, owner, deleted: false };
    this.messages.push(message);
    this.show(message, reply);
    return message;
  }

  private show(message: DoubleMessage, reply: ShownReply): void {
    if (message.deleted) this.violations.push(`${reply.kind} rendered to deleted message ${message.id}`);
    if (reply.kind === 'deleted') message.deleted = true;
    else message.reply = reply;
  }

  private find(id: string): DoubleMessage {
    const message = this.messages.find((m) => m.id === id);
    if (!message) throw new Error(`no message ${id}`);
    return message;
  }

  private requireHandler(): RequestHandler {
    if (!this.handler) throw new Error('the double was not started');
    return this.handler;
  }
}
