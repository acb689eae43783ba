import type { CommandDefinition } from '../../../commands/index.ts';
import { optionSyntax } from '../../../commands/index.ts';
import type { ButtonPress, ReplyTarget, VideoRequest } from '../../core/index.ts';

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
      .filter((o) => o.name !== definition.positional)
      .map((o) => optionSyntax(o, definition))
      .join(' '),
  };
}
