import { z } from 'zod';
import type { ReplyHandle } from '../../core/index.ts';

/** An interaction token lets the bot edit its response for 15 minutes; we stop trusting it 30 s early. */
export const INTERACTION_TOKEN_MS = 15 * 60_000 - 30_000;

/**
 * Where a Discord reply shows, as kept in job data and the reply book (JSON-safe, checked on read).
 * - With `token`: the interaction's webhook. `messageId` names one of its follow-up messages;
 *   without it, the interaction's original response. `followUp` says the follow-up is not posted
 *   yet: the first render posts it.
 * - Without `token`: a channel (or DM) message the bot posted with its own token, `messageId`, or
 *   none yet: the first render posts it.
 * - `post`: the bot posts on its own (a scheduled clip, a teaser): no one is mentioned, and a
 *   refusal goes to `userId` in a DM instead of the channel.
 */
export const discordHandleSchema = z.object({
  applicationId: z.string(),
  channelId: z.string(),
  /** The requester: a channel message that takes over from an expired token mentions them alone. */
  userId: z.string(),
  guildId: z.string().optional(),
  token: z.string().optional(),
  /** When the interaction arrived (ms since the epoch): its token is good until this + 15 min. */
  tokenAt: z.number().optional(),
  messageId: z.string().optional(),
  followUp: z.boolean().optional(),
  post: z.boolean().optional(),
});
export type DiscordHandle = z.infer<typeof discordHandleSchema>;

/** A handle from the port, checked: job data and Redis are outside this process's control. */
export function readHandle(handle: ReplyHandle): DiscordHandle {
  return discordHandleSchema.parse(handle);
}

/** The handle as the port keeps it (undefined fields dropped: the port's handles are JSON). */
export function toReplyHandle(handle: DiscordHandle): ReplyHandle {
  return Object.fromEntries(Object.entries(handle).filter(([, value]) => value !== undefined)) as ReplyHandle;
}

/** Whether the interaction token of `handle` can still be used now. */
export function tokenAlive(
  handle: DiscordHandle,
  now = Date.now(),
): handle is DiscordHandle & { token: string } {
  return handle.token !== undefined && now - (handle.tokenAt ?? 0) < INTERACTION_TOKEN_MS;
}
