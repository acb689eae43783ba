import { z } from 'zod';
import type { ReplyHandle } from '../../core/index.ts';

/**
 * Where a Slack reply shows, as kept in job data and the reply book (JSON-safe, checked on read): a
 * message the bot posted with its token (`ts` in `channelId`; without `ts`, the first render posts
 * it), the clip it uploaded into that message's thread (`fileId`), and the requester.
 */
export const slackMessageHandleSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  ts: z.string().optional(),
  fileId: z.string().optional(),
  /** The bot posts on its own (a scheduled clip): no "asked by" line, and a refusal goes to `userId` by DM. */
  post: z.boolean().optional(),
});
export type SlackMessageHandle = z.infer<typeof slackMessageHandleSchema>;

/**
 * A Workflow Builder step ("Generate video"): completed through the Web API with the execution's own
 * `xwfp-` token kept here (Bolt's `complete()` does not survive a restart); `channelId`, when the
 * step names one, is where the clip is posted too.
 */
export const slackStepHandleSchema = z.object({
  teamId: z.string(),
  executionId: z.string(),
  functionToken: z.string(),
  channelId: z.string().optional(),
});
export type SlackStepHandle = z.infer<typeof slackStepHandleSchema>;

/** A notice's addressee: an ephemeral message to one user in one channel. */
export const slackNoticeHandleSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  userId: z.string(),
});
export type SlackNoticeHandle = z.infer<typeof slackNoticeHandleSchema>;

/** The handle as the port keeps it (undefined fields dropped: the port's handles are JSON). */
export function toReplyHandle(handle: Record<string, string | boolean | undefined>): ReplyHandle {
  return Object.fromEntries(Object.entries(handle).filter(([, value]) => value !== undefined)) as ReplyHandle;
}
