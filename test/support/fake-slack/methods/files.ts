import { extname } from 'node:path';
import { SlackApiError } from '../api-error.ts';
import { parseBlocks } from '../block-kit.ts';
import { type ApiContext, channelOf, jsonArg, type Method, stringArg, teamOf } from '../method.ts';
import { channelName } from '../payloads.ts';
import type { ChannelRecord, FileRecord, TeamRecord } from '../state.ts';
import type { FakeSlackFile } from '../types.ts';
import { requireBot } from './chat.ts';

const MIME_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.gif': 'image/gif',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
};

/**
 * The external upload flow (`files.uploadV2` in @slack/web-api): files.getUploadURLExternal → POST the
 * bytes to upload_url → files.completeUploadExternal, which shares the file asynchronously: its answer
 * has the file but no message, and the message appears `fileShareDelayMs` later. Plus files.info (of
 * the bot's uploads and of files users shared, see user-files.ts) and files.delete (the app may
 * delete only its own uploads).
 */
export function fileMethods(context: ApiContext): Record<string, Method> {
  const { state } = context;
  const ownFile = (team: TeamRecord, id: unknown) => {
    const file = typeof id === 'string' ? state.files.get(id) : undefined;
    if (!file || file.teamId !== team.id) throw new SlackApiError('file_not_found');
    if (file.deleted) throw new SlackApiError('file_deleted');
    return file;
  };

  return {
    'files.getUploadURLExternal': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const name = stringArg(call.args, 'filename');
        const length = Number(stringArg(call.args, 'length'));
        if (name === undefined || !Number.isInteger(length) || length <= 0) {
          throw new SlackApiError('invalid_arguments');
        }
        const id = state.ids.next('F');
        state.files.set(id, {
          id,
          teamId: team.id,
          name,
          length,
          completed: false,
          createdAt: Date.now(),
          shares: [],
        });
        return { upload_url: `${context.origin}/upload/${id}`, file_id: id };
      },
    },
    'files.completeUploadExternal': {
      auth: 'bot',
      handle(call) {
        const team = teamOf(call);
        const entries = jsonArg(call.args, 'files');
        if (!Array.isArray(entries) || entries.length === 0) throw new SlackApiError('invalid_arguments');
        const files = entries.map((entry: { id?: unknown; title?: unknown }) => {
          const file = ownFile(team, entry.id);
          if (!file.bytes) throw new SlackApiError('file_not_found');
          if (typeof entry.title === 'string') file.title = entry.title;
          return file;
        });
        const ids = [
          stringArg(call.args, 'channel_id'),
          ...(stringArg(call.args, 'channels') ?? '').split(','),
        ];
        const channels = [...new Set(ids.filter((id): id is string => !!id))].map((id) =>
          channelOf(context, team, id),
        );
        const threadTs = stringArg(call.args, 'thread_ts');
        if (threadTs !== undefined && channels.length !== 1) throw new SlackApiError('invalid_arguments');
        for (const channel of channels) requireBot(channel);
        const initialComment = stringArg(call.args, 'initial_comment');
        const blocks = initialComment === undefined ? parseBlocks(call.args.blocks) : undefined;
        for (const file of files) {
          file.completed = true;
          if (threadTs !== undefined) file.threadTs = threadTs;
          if (initialComment !== undefined) file.initialComment = initialComment;
        }
        context.later(() => {
          for (const channel of channels)
            share(context, team, channel, files, { threadTs, initialComment, blocks });
        }, context.fileShareDelayMs);
        return { files: files.map((file) => fileJson(context, file)) };
      },
    },
    'files.info': {
      auth: 'bot',
      handle(call) {
        const file = ownFile(teamOf(call), stringArg(call.args, 'file'));
        if (!file.completed) throw new SlackApiError('file_not_found');
        return { file: fileJson(context, file), comments: [], response_metadata: { next_cursor: '' } };
      },
    },
    'files.delete': {
      auth: 'bot',
      handle(call) {
        const file = ownFile(teamOf(call), stringArg(call.args, 'file'));
        if (file.userId !== undefined) throw new SlackApiError('cant_delete_file');
        state.files.delete(file.id);
        // The messages that shared it stay, without the file (Slack shows a tombstone there).
        for (const place of file.shares) {
          const message = state.liveMessage(place.channelId, place.ts);
          const files = message?.files?.filter((id) => id !== file.id);
          if (message && files) state.record({ ...message, files });
        }
        return {};
      },
    },
  };
}

/** Posts the message that carries the files, as Slack does once its upload processing is done. */
function share(
  context: ApiContext,
  team: TeamRecord,
  channel: ChannelRecord,
  files: FileRecord[],
  options: {
    threadTs: string | undefined;
    initialComment: string | undefined;
    blocks: unknown[] | undefined;
  },
): void {
  // A file deleted before its share finished is not shared.
  const live = files.filter((file) => context.state.files.has(file.id));
  if (live.length === 0) return;
  const message = context.state.post(team, {
    channelId: channel.id,
    text: options.initialComment ?? '',
    blocks: options.blocks ?? [],
    files: live.map((file) => file.id),
    ...(options.threadTs === undefined ? {} : { threadTs: options.threadTs }),
  });
  for (const file of live) {
    file.shares.push({
      channelId: channel.id,
      ts: message.ts,
      ...(options.threadTs === undefined ? {} : { threadTs: options.threadTs }),
    });
  }
}

/** The public view of a completed upload, or undefined while it is not. */
export function fileView(context: ApiContext, file: FileRecord): FakeSlackFile | undefined {
  if (!file.completed || !file.bytes || file.deleted) return undefined;
  return {
    id: file.id,
    ...(file.userId === undefined ? {} : { userId: file.userId }),
    name: file.name,
    bytes: file.bytes,
    channels: [...new Set(file.shares.map((place) => place.channelId))],
    ...(file.threadTs === undefined ? {} : { threadTs: file.threadTs }),
    permalink: permalinkOf(context, file),
    urlPrivate: urlPrivateOf(context, file),
    ...(file.title === undefined ? {} : { title: file.title }),
    ...(file.initialComment === undefined ? {} : { initialComment: file.initialComment }),
  };
}

function permalinkOf(context: ApiContext, file: FileRecord): string {
  const team = context.state.team(file.teamId);
  const owner = file.userId ?? team.botUserId;
  return `https://${team.domain}.slack.com/files/${owner}/${file.id}/${encodeURIComponent(file.name)}`;
}

/** Slack's `https://files.slack.com/files-pri/T…-F…/name`, on the fake's origin. */
function urlPrivateOf(context: ApiContext, file: FileRecord, download = false): string {
  const name = `${download ? 'download/' : ''}${encodeURIComponent(file.name)}`;
  return `${context.origin}/files-pri/${file.teamId}-${file.id}/${name}`;
}

/** The file's type: as its user's client declared it, or from its name. */
export function mimetypeOf(file: FileRecord): string {
  return file.mimetype ?? MIME_TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream';
}

/** A file object as files.* methods answer it; `shares` lists where it is shared so far. */
function fileJson(context: ApiContext, file: FileRecord): Record<string, unknown> {
  const team = context.state.team(file.teamId);
  const extension = extname(file.name).toLowerCase();
  const mimetype = mimetypeOf(file);
  const owner = file.userId ?? team.botUserId;
  const shares: Record<'public' | 'private', Record<string, unknown[]>> = { public: {}, private: {} };
  const lists = { channels: [] as string[], groups: [] as string[], ims: [] as string[] };
  for (const place of file.shares) {
    const channel = context.state.channels.get(place.channelId) as ChannelRecord;
    const visibility = channel.kind === 'channel' && channel.id.startsWith('C') ? 'public' : 'private';
    const entry = {
      reply_users: [],
      reply_users_count: 0,
      reply_count: 0,
      ts: place.ts,
      ...(place.threadTs === undefined ? {} : { thread_ts: place.threadTs }),
      channel_name: channelName(channel),
      team_id: team.id,
      share_user_id: owner,
    };
    shares[visibility][channel.id] = [...(shares[visibility][channel.id] ?? []), entry];
    const list = channel.kind === 'im' ? lists.ims : visibility === 'public' ? lists.channels : lists.groups;
    if (!list.includes(channel.id)) list.push(channel.id);
  }
  const created = Math.floor(file.createdAt / 1000);
  return {
    id: file.id,
    created,
    timestamp: created,
    name: file.name,
    title: file.title ?? file.name,
    mimetype,
    filetype: extension.slice(1) || 'binary',
    pretty_type: extension.slice(1).toUpperCase() || 'Binary',
    user: owner,
    user_team: team.id,
    editable: false,
    size: file.bytes?.length ?? file.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: lists.channels.length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: urlPrivateOf(context, file),
    url_private_download: urlPrivateOf(context, file, true),
    media_display_type: mimetype.startsWith('video/')
      ? 'video'
      : mimetype.startsWith('image/')
        ? 'image'
        : 'unknown',
    permalink: permalinkOf(context, file),
    permalink_public: `https://slack-files.com/${team.id}-${file.id}-fake`,
    comments_count: 0,
    is_starred: false,
    shares,
    ...lists,
    has_more_shares: false,
    has_rich_preview: false,
    file_access: 'visible',
  };
}
