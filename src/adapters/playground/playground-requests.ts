import { z } from 'zod';
import type { CommandDefinition } from '../../../commands/index.ts';
import { optionSyntax } from '../../../commands/index.ts';
import type { AttachedImage, ButtonPress, ReplyTarget, VideoRequest } from '../../core/index.ts';
import type { PlaygroundMessage } from './reply-view.ts';

export const sessionSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const idSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
/**
 * A typed line. `requestId`, made by the page, lets a retried POST be recognised and queued once;
 * `imageId` names a picture uploaded to /api/images for it.
 */
export const commandSchema = z.object({
  text: z.string().min(1).max(2_000),
  requestId: idSchema.optional(),
  imageId: idSchema.optional(),
});
export const buttonSchema = z.object({ customId: z.string().min(1).max(100), pressId: idSchema.optional() });

/** The playground is one tenant with one channel. */
const TENANT = { platform: 'playground', id: 'playground' } as const;
const CHANNEL = 'playground';

/** A reply in `session`: its message id is its reply id (playground messages never move). */
export function replyTarget(
  session: string,
  replyId: string,
): ReplyTarget & { handle: { messageId: string } } {
  return { platform: 'playground', kind: 'message', replyId, handle: { session, messageId: replyId } };
}

/** A request from `user` (the client's address), its values filled in by /video's execute. */
export function videoRequest(user: string, requestId: string, uploadLimitBytes: number): VideoRequest {
  return {
    requestId,
    tenant: TENANT,
    user: { id: user },
    channelId: CHANNEL,
    prompt: '',
    options: {},
    receivedAt: Date.now(),
    uploadLimitBytes,
  };
}

/** Who pressed a button: `user` (the client's address) in the playground's one channel. */
export function presser(user: string, uploadLimitBytes: number): ButtonPress['presser'] {
  return { tenant: TENANT, user: { id: user }, channelId: CHANNEL, uploadLimitBytes };
}

/** What the page's syntax line and Options form offer: the same definition the grammar reads. */
export function commandInfo(definition: CommandDefinition): { options: unknown; syntax: string } {
  return {
    options: definition.options,
    syntax: definition.options
      // A picture is chosen with the page's button, not typed.
      .filter((o) => o.name !== definition.positional && o.type !== 'image')
      .map((o) => optionSyntax(o, definition))
      .join(' '),
  };
}

/** A typed line as the channel shows it, with the name of the picture sent with it if there is one. */
export function userMessage(
  id: string,
  createdAt: number,
  text: string,
  image: AttachedImage | 'gone' | undefined,
): PlaygroundMessage {
  return { id, author: 'user', createdAt, text, ...(typeof image === 'object' ? { image: image.name } : {}) };
}
