import type { ReplyTarget, VideoRequest } from '../../core/index.ts';
import { toReplyHandle } from './slack-handle.ts';

/** The custom step's callback id, as in slack/manifest.json. */
export const GENERATE_VIDEO_STEP = 'generate_video';

/** What Bolt hands a `function_executed` listener, as far as the step reads it. */
export interface StepEvent {
  function_execution_id: string;
  bot_access_token?: string;
  inputs?: Record<string, unknown>;
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * The request a run of "Generate video" makes, and its target: a workflow step completed with the
 * execution's own token. Its inputs are the prompt, an optional channel to post the clip in, a
 * quality and the user whose limits it counts against (else the workflow's: `workflow`).
 */
export function stepRequest(
  teamId: string,
  event: StepEvent,
  uploadLimitBytes: number,
): { request: VideoRequest; target: ReplyTarget } {
  const inputs = event.inputs ?? {};
  const executionId = event.function_execution_id;
  const channelId = text(inputs.channel);
  const quality = text(inputs.quality);
  const request: VideoRequest = {
    requestId: executionId,
    tenant: { platform: 'slack', id: teamId },
    user: { id: text(inputs.user) ?? 'workflow' },
    channelId: channelId ?? 'workflow',
    prompt: text(inputs.prompt) ?? '',
    options: quality ? { quality } : {},
    receivedAt: Date.now(),
    uploadLimitBytes,
  };
  const target: ReplyTarget = {
    platform: 'slack',
    kind: 'workflow',
    replyId: executionId,
    handle: toReplyHandle({ teamId, executionId, functionToken: event.bot_access_token ?? '', channelId }),
  };
  return { request, target };
}
