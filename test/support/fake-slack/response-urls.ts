import { SlackApiError } from './api-error.ts';
import { parseBlocks } from './block-kit.ts';
import { type FakeState, RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_USES } from './state.ts';

/** What a response_url POST answers: a status and a short body, as Slack's hooks do. */
export interface HookAnswer {
  status: number;
  body: string;
}

interface ResponseBody {
  text?: unknown;
  blocks?: unknown;
  response_type?: unknown;
  replace_original?: unknown;
  delete_original?: unknown;
  thread_ts?: unknown;
}

/**
 * A POST to a `response_url` (what Bolt's `respond()` sends: JSON `{ text, blocks, response_type,
 * replace_original, delete_original, thread_ts }`). It lives 30 minutes and takes 5 uses.
 *
 * After a button press on a message, a response without `replace_original: false` replaces that
 * message: that is the documented default of legacy interactive messages, and Slack's Block Kit docs do
 * not promise otherwise, so the fake takes the reading that breaks a careless adapter. A new message is
 * ephemeral (to the user who acted) unless `response_type` is `in_channel`.
 */
export function answerResponseUrl(state: FakeState, id: string, raw: Buffer): HookAnswer {
  const hook = state.responseUrls.get(id);
  if (!hook) return { status: 404, body: 'invalid_url' };
  if (state.now() - hook.createdAt > RESPONSE_URL_LIFETIME_MS) return { status: 404, body: 'expired_url' };
  if (hook.uses >= RESPONSE_URL_USES) return { status: 404, body: 'used_url' };
  let body: ResponseBody;
  try {
    body = JSON.parse(raw.toString('utf8')) as ResponseBody;
    if (typeof body !== 'object' || body === null) throw new SyntaxError('not an object');
  } catch {
    return { status: 400, body: 'invalid_payload' };
  }
  hook.uses += 1;
  const team = state.team(hook.teamId);
  const source = hook.source;
  if (body.delete_original === true || body.delete_original === 'true') {
    const message =
      source && !source.isEphemeral ? state.liveMessage(hook.channelId, source.messageTs) : undefined;
    if (message) state.record({ ...message, deleted: true });
    return { status: 200, body: 'ok' };
  }
  let blocks: Record<string, unknown>[] | undefined;
  try {
    blocks = parseBlocks(body.blocks);
  } catch (error) {
    if (error instanceof SlackApiError) return { status: 400, body: error.error };
    throw error;
  }
  const text = typeof body.text === 'string' ? body.text : '';
  if (text === '' && !blocks?.length) return { status: 400, body: 'no_text' };
  const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
  const replace =
    source !== undefined && body.replace_original !== false && body.replace_original !== 'false';

  if (replace && !source.isEphemeral) {
    const message = state.liveMessage(hook.channelId, source.messageTs);
    if (!message) return { status: 404, body: 'message_not_found' };
    state.record({ ...message, text, blocks: blocks ?? [], editedAt: Date.now() });
  } else if (body.response_type === 'in_channel' && !replace) {
    state.post(team, {
      channelId: hook.channelId,
      text,
      blocks: blocks ?? [],
      ...(threadTs === undefined ? {} : { threadTs }),
    });
  } else {
    state.ephemerals.push({
      channelId: hook.channelId,
      userId: hook.userId,
      text,
      ...(blocks === undefined ? {} : { blocks }),
      ...(threadTs === undefined ? {} : { threadTs }),
      // Replacing an ephemeral keeps its ts; anything else is a new ephemeral message.
      messageTs: replace && source ? source.messageTs : state.ids.ts(),
      source: 'response_url',
    });
  }
  return { status: 200, body: 'ok' };
}
