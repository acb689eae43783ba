import { SlackApiError } from '../api-error.ts';
import { parseBlocks } from '../block-kit.ts';
import { type ApiContext, channelOf, type Method, stringArg, teamOf } from '../method.ts';
import { messageJson } from '../payloads.ts';
import type { ChannelRecord, MessageRecord } from '../state.ts';

/** Slack truncates longer text; the fake refuses it so an adapter notices (chat.postMessage docs). */
const MAX_TEXT = 40_000;

/** chat.postMessage, chat.update, chat.delete, chat.postEphemeral, for the bot's own messages. */
export function chatMethods(context: ApiContext): Record<string, Method> {
  const { state } = context;
  const content = (args: Record<string, unknown>) => {
    const blocks = parseBlocks(args.blocks);
    const text = stringArg(args, 'text');
    if (text === undefined && blocks === undefined && args.attachments === undefined) {
      throw new SlackApiError('no_text');
    }
    if (text !== undefined && text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    return { text, blocks };
  };
  const ownMessage = (call: Parameters<Method['handle']>[0], denied: string) => {
    const team = teamOf(call);
    const channel = channelOf(context, team, stringArg(call.args, 'channel'));
    const message = state.liveMessage(channel.id, stringArg(call.args, 'ts') ?? '');
    if (!message) throw new SlackApiError('message_not_found');
    if (message.botId !== team.botId) throw new SlackApiError(denied);
    return { channel, message };
  };

  return {
    'chat.postMessage': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const channel = channelOf(context, team, stringArg(call.args, 'channel'));
        requireBot(channel);
        const { text, blocks } = content(call.args);
        const threadTs = stringArg(call.args, 'thread_ts');
        const message = state.post(team, {
          channelId: channel.id,
          text: text ?? '',
          blocks: blocks ?? [],
          ...(threadTs === undefined ? {} : { threadTs }),
        });
        return { channel: channel.id, ts: message.ts, message: messageJson(state, message) };
      },
    },
    'chat.update': {
      auth: 'bot',
      handle(call) {
        const { channel, message } = ownMessage(call, 'cant_update_message');
        const { text, blocks } = content(call.args);
        // Blocks left out are kept; text left out is cleared (chat.update docs).
        const updated: MessageRecord = {
          ...message,
          text: text ?? '',
          blocks: blocks ?? message.blocks,
          editedAt: Date.now(),
        };
        state.record(updated);
        return {
          channel: channel.id,
          ts: message.ts,
          text: updated.text,
          message: messageJson(state, updated),
        };
      },
    },
    'chat.delete': {
      auth: 'bot',
      handle(call) {
        const { channel, message } = ownMessage(call, 'cant_delete_message');
        state.record({ ...message, deleted: true });
        return { channel: channel.id, ts: message.ts };
      },
    },
    'chat.postEphemeral': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const channel = channelOf(context, team, stringArg(call.args, 'channel'));
        const userId = stringArg(call.args, 'user');
        if (userId === undefined) throw new SlackApiError('user_not_found');
        requireBot(channel);
        if (channel.members && !channel.members.has(userId)) throw new SlackApiError('user_not_in_channel');
        const { text, blocks } = content(call.args);
        const threadTs = stringArg(call.args, 'thread_ts');
        const messageTs = state.ids.ts();
        state.ephemerals.push({
          channelId: channel.id,
          userId,
          text: text ?? '',
          ...(blocks === undefined ? {} : { blocks }),
          ...(threadTs === undefined ? {} : { threadTs }),
          messageTs,
          source: 'chat.postEphemeral',
        });
        return { message_ts: messageTs };
      },
    },
  };
}

/** The bot must be in a conversation to post there (no `chat:write.public`). */
export function requireBot(channel: ChannelRecord): void {
  if (!channel.botIsMember) throw new SlackApiError('not_in_channel');
}
