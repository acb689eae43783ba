// The adapter port. Dependency rule: src/core imports nothing of ours outside src/core and no
// platform SDK; adapters (src/adapters/<platform>/) import src/core and their own SDK, never each
// other; the worker imports no adapter. Every platform converts its events to one VideoRequest (or
// ButtonPress) and renders one Reply shape back.
//
// Messages move. A reply's target is stable for its whole life (job data keeps it), but the message
// that shows it can change: Discord's interaction token dies after 15 minutes and a channel message
// takes over; Slack's files.uploadV2 makes a new message. When that happens `render` returns the
// new handle; the core keeps it under the target's `replyId` (in Redis, for as long as the reply's
// record lives) and passes it in every later render of that reply, so progress after a restart,
// Delete and the final state all reach the message that shows the reply now.
import type { CommunityEventChange } from './community-event.ts';
import type { QueueView } from './queue-view.ts';
import type { ButtonAction, ShownReply } from './reply-buttons.ts';
import type { ScheduleAnswer, ScheduleCommand } from './schedule-command.ts';
import type { SettingsAnswer, SettingsCommand } from './settings-command.ts';
import type { Asker, Platform, Requester, TenantRef, VideoRequest } from './video-request.ts';

/** Adapter-specific, JSON-safe: interaction token, channel + ts, playground session + message id. */
export type ReplyHandle = Record<string, string | number | boolean>;

/**
 * Where the replies to one request go.
 * - `message`: a message the adapter posts and edits in place.
 * - `workflow`: no message (a Slack Workflow Builder step). Queued and running states are not
 *   rendered; the final state (clip, failure, cancel, refusal) completes the step, once, also across
 *   bot restarts and redelivered replies.
 * - `post`: a message the bot posts on its own in a channel, for no one's command (a scheduled clip,
 *   an event's teaser), made by {@link ChatAdapter.postTarget}. It shows its `origin`, mentions no
 *   one, and a refusal goes to the person the handle names alone (the schedule's owner), not the channel.
 */
export interface ReplyTarget {
  platform: Platform;
  kind: 'message' | 'workflow' | 'post';
  /** Stable id of this reply, unique on its platform; buttons and moved messages are keyed by it. */
  replyId: string;
  handle: ReplyHandle;
  /** Why a `post` exists, shown with it. */
  origin?: PostOrigin;
}

/** What made the bot post a clip no one asked for just now. JSON-safe (it travels in job data). */
export type PostOrigin =
  /** A schedule's run: its owner (a user id, shown as a mention that pings no one) and its rule in words. */
  | { kind: 'schedule'; scheduleId: number; ownerId: string; description: string }
  /** A teaser for a community event: its name, its page, and when it starts (ms since the epoch). */
  | { kind: 'event'; name: string; url: string; startsAt: number };

/** Where the bot may post on its own, and for whom (the person told when it cannot). */
export interface PostPlace {
  tenant: TenantRef;
  channelId: string;
  /** Who a refusal goes to: a schedule's owner, an event's creator; unset: no one (it is logged). */
  userId?: string;
}

/** Where to answer one person alone (Discord: the press's own token, ephemeral; Slack: response_url). */
export interface NoticeTarget {
  platform: Platform;
  handle: ReplyHandle;
}

/** What a render did: `movedTo` when the reply now shows in another message than its handle named. */
export type RenderResult = { movedTo: ReplyHandle } | undefined;

/** A press of a stateless button (`video:<action>:<replyId>`, see reply-buttons.ts). */
export interface ButtonPress {
  /** The platform's id of this press (interaction id); a redelivered press is recognised by it. */
  pressId: string;
  action: ButtonAction;
  /** Who pressed, where. */
  presser: { tenant: TenantRef; user: Requester; channelId: string; uploadLimitBytes: number };
  /** The reply the button is on; `message.replyId` comes from the button's id. */
  message: ReplyTarget;
  /** Where to answer the presser alone: refusals and "stopping…" go here, never to the message. */
  notices: NoticeTarget;
  /**
   * A fresh reply for a new job (Reroll): a new message, or a new step, opened when first rendered.
   * The pressed message keeps its clip.
   */
  followUp: ReplyTarget;
  receivedAt: number;
}

/** The use cases an adapter calls; implemented by the core. */
export interface RequestHandler {
  onVideoRequest(request: VideoRequest, target: ReplyTarget): Promise<void>;
  onButton(press: ButtonPress): Promise<void>;
  /**
   * /video-queue: the asker's own jobs, their tenant's waiting count and limits, and when their
   * next clip is allowed. Reads only; the adapter shows it (as text, to the asker alone).
   */
  onQueueQuery(asker: Asker): Promise<QueueView>;
  /**
   * /video-admin: shows or changes the asker's tenant's settings. The core refuses askers without
   * `user.isAdmin`, checks every value before writing any, applies a change at once and logs who
   * made it. The answer is for the asker alone.
   */
  onSettingsCommand(command: SettingsCommand): Promise<SettingsAnswer>;
  /**
   * /video-schedule: adds, lists, pauses, resumes or removes the tenant's scheduled clips. Like
   * settings, for `user.isAdmin` askers only, checked by the core; the answer is for the asker alone.
   */
  onScheduleCommand(command: ScheduleCommand): Promise<ScheduleAnswer>;
  /** A community event was created, changed or ended (Discord scheduled events): its teaser follows it. */
  onCommunityEvent(change: CommunityEventChange): Promise<void>;
}

/** One platform connection behind the port. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(handler: RequestHandler): Promise<void>;
  /**
   * Shows the reply in the target's message, replacing its previous state (`deleted` removes the
   * message). Mentions in echoed text must never ping anyone. Returns where the reply moved, if it did.
   */
  render(target: ReplyTarget, reply: ShownReply): Promise<RenderResult>;
  /** A short answer shown to one person alone; it replaces nothing. */
  notify(to: NoticeTarget, message: string): Promise<void>;
  /**
   * The handle of a `post` target in the place's channel, and the largest clip the platform takes
   * there. Absent on platforms without channels to post in (the playground).
   */
  postTarget?(place: PostPlace): { handle: ReplyHandle; uploadLimitBytes: number };
  /** Whether it can take requests now (Gateway session up, server listening): /healthz reports it. */
  connected(): boolean;
  stop(): Promise<void>;
}
