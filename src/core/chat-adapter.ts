// The adapter port. Dependency rule: adapters (src/adapters/<platform>/) import src/core; src/core
// imports no platform SDK and nothing from src/adapters. Every platform converts its events to one
// VideoRequest (or ButtonPress) and renders one Reply shape back.
import type { Reply } from './reply.ts';
import type { Platform, VideoRequest } from './video-request.ts';

/** Where to render replies for one request: opaque to the core, meaningful to its adapter. */
export interface ReplyTarget {
  platform: Platform;
  /** Adapter-specific handle (interaction token, channel + ts, playground message id), JSON-safe. */
  handle: Record<string, string | number | boolean>;
}

/** A press of a stateless button: `video:<action>:<jobId>`. */
export interface ButtonPress {
  action: 'cancel' | 'reroll' | 'delete';
  jobId: string;
  request: Pick<
    VideoRequest,
    'requestId' | 'tenant' | 'user' | 'channelId' | 'receivedAt' | 'uploadLimitBytes'
  >;
  /** The message the button is on; a `notice` rendered here is shown to the presser alone. */
  target: ReplyTarget;
  /** A fresh reply the adapter opened for a reroll's new job; default: `target`. */
  followUp?: ReplyTarget;
}

/** The use cases an adapter calls; implemented by the core. */
export interface RequestHandler {
  onVideoRequest(request: VideoRequest, target: ReplyTarget): Promise<void>;
  onButton(press: ButtonPress): Promise<void>;
}

/** One platform connection behind the port. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(handler: RequestHandler): Promise<void>;
  /** Shows the reply, replacing the previous one for the same target (a `notice` replaces nothing). */
  render(target: ReplyTarget, reply: Reply): Promise<void>;
  stop(): Promise<void>;
}
