import { errors, invalidFormBody } from './api-error.ts';
import type { FakeState, MessageRecord } from './state.ts';
import type { FakeAttachment, FakeMentions } from './types.ts';

/** One `files[n]` part of a multipart request. */
export interface UploadedFile {
  field: string;
  /** The n of `files[n]`: the placeholder id the body's `attachments` use. */
  index?: number;
  name: string;
  bytes: Buffer;
  contentType: string;
}

/** A message create or edit as it arrived: the JSON body and any files. */
export interface MessageInput {
  body: Record<string, unknown>;
  files: UploadedFile[];
}

export const FLAG_SUPPRESS_EMBEDS = 1 << 2;
export const FLAG_EPHEMERAL = 1 << 6;
export const FLAG_LOADING = 1 << 7;
export const FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12;
export const FLAG_COMPONENTS_V2 = 1 << 15;
const CREATABLE_FLAGS =
  FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2;

interface NewMessage {
  channelId: string;
  authorId: string;
  type: number;
  webhookId?: string;
  interactionId?: string;
  ephemeralTo?: string;
  extraFlags?: number;
}

/** Builds a message from a create body (channel post, interaction reply or follow-up). */
export function createMessage(
  state: FakeState,
  baseUrl: string,
  input: MessageInput,
  limit: number,
  base: NewMessage,
): MessageRecord {
  const { body, files } = input;
  validate(body, files, limit);
  const requested = typeof body.flags === 'number' ? body.flags : 0;
  // Only interaction responses may be ephemeral; the caller says so with ephemeralTo.
  const ephemeral = base.ephemeralTo === undefined ? 0 : FLAG_EPHEMERAL;
  const flags = (requested & CREATABLE_FLAGS & ~FLAG_EPHEMERAL) | ephemeral | (base.extraFlags ?? 0);
  const byIndex = attachmentEntries(body);
  const attachments = files.map((file) => storeFile(state, baseUrl, base.channelId, file, byIndex));
  const content = typeof body.content === 'string' ? body.content : '';
  const message: MessageRecord = {
    id: state.ids.next(),
    channelId: base.channelId,
    authorId: base.authorId,
    content,
    components: Array.isArray(body.components) ? body.components : [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    attachments,
    flags,
    mentions: mentionsOf(content, body.allowed_mentions),
    type: base.type,
    createdAt: Date.now(),
  };
  if ((flags & FLAG_LOADING) === 0 && isEmpty(message)) throw errors.emptyMessage();
  if (base.webhookId !== undefined) message.webhookId = base.webhookId;
  if (base.interactionId !== undefined) message.interactionId = base.interactionId;
  if (base.ephemeralTo !== undefined) message.ephemeralTo = base.ephemeralTo;
  if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
  return message;
}

/**
 * The next state of a message after an edit. Fields left out are kept; `attachments`, when sent, lists
 * every attachment to keep, by id, and every new one, by the n of its `files[n]` (discord-api-docs,
 * "Editing Message Attachments"); without it the old ones stay and new files are added.
 */
export function editMessage(
  state: FakeState,
  baseUrl: string,
  message: MessageRecord,
  input: MessageInput,
  limit: number,
): MessageRecord {
  const { body, files } = input;
  validate(body, files, limit);
  const next: MessageRecord = { ...message, flags: message.flags & ~FLAG_LOADING, editedAt: Date.now() };
  delete next.allowedMentions;
  if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
  if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
  if ('embeds' in body) next.embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if (typeof body.flags === 'number') {
    next.flags = (next.flags & ~FLAG_SUPPRESS_EMBEDS) | (body.flags & FLAG_SUPPRESS_EMBEDS);
  }
  const byIndex = attachmentEntries(body);
  if (Array.isArray(body.attachments)) {
    const kept = new Set(body.attachments.map((entry) => String((entry as { id?: unknown }).id)));
    const known = new Set([...message.attachments.map((a) => a.id), ...files.map((f) => String(f.index))]);
    for (const id of kept) {
      if (!known.has(id))
        throw invalidFormBody('attachments', 'ATTACHMENT_NOT_FOUND', `Unknown attachment ${id}`);
    }
    next.attachments = [
      ...message.attachments.filter((attachment) => kept.has(attachment.id)),
      ...files
        .filter((file) => kept.has(String(file.index)))
        .map((file) => storeFile(state, baseUrl, message.channelId, file, byIndex)),
    ];
  } else {
    next.attachments = [
      ...message.attachments,
      ...files.map((file) => storeFile(state, baseUrl, message.channelId, file, byIndex)),
    ];
  }
  if (body.allowed_mentions !== undefined) next.allowedMentions = body.allowed_mentions;
  next.mentions = mentionsOf(next.content, body.allowed_mentions);
  if (isEmpty(next)) throw errors.emptyMessage();
  return next;
}

/** Who the content pings under `allowed_mentions` (none given: everything in the content pings). */
export function mentionsOf(content: string, allowed: unknown): FakeMentions {
  const rules = (allowed ?? { parse: ['users', 'roles', 'everyone'] }) as {
    parse?: string[];
    users?: string[];
    roles?: string[];
  };
  const parse = new Set(rules.parse ?? []);
  const named = (pattern: RegExp) => [
    ...new Set([...content.matchAll(pattern)].map((match) => match[1] ?? '')),
  ];
  return {
    everyone: parse.has('everyone') && /@(everyone|here)\b/.test(content),
    users: named(/<@!?(\d{17,20})>/g).filter((id) => parse.has('users') || rules.users?.includes(id)),
    roles: named(/<@&(\d{17,20})>/g).filter((id) => parse.has('roles') || rules.roles?.includes(id)),
  };
}

function isEmpty(message: MessageRecord): boolean {
  return (
    message.content === '' &&
    message.components.length === 0 &&
    message.embeds.length === 0 &&
    message.attachments.length === 0
  );
}

function validate(body: Record<string, unknown>, files: UploadedFile[], limit: number): void {
  if (typeof body.content === 'string' && body.content.length > 2000) {
    throw invalidFormBody('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  if (Array.isArray(body.embeds) && body.embeds.length > 10) {
    throw invalidFormBody('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  }
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if (Array.isArray(body.components) && (flags & FLAG_COMPONENTS_V2) === 0) validateRows(body.components);
  if (files.some((file) => file.bytes.length > limit)) throw errors.tooLarge();
}

/** Classic components: at most 5 action rows of 1–5 components, custom ids unique and ≤ 100 chars. */
function validateRows(rows: unknown[]): void {
  if (rows.length > 5)
    throw invalidFormBody('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const seen = new Set<string>();
  for (const [r, row] of rows.entries()) {
    const { type, components } = row as { type?: unknown; components?: unknown };
    if (type !== 1 || !Array.isArray(components) || components.length === 0 || components.length > 5) {
      throw invalidFormBody(`components.${r}`, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'Invalid action row');
    }
    for (const [c, component] of components.entries()) {
      const { custom_id: customId, label } = component as { custom_id?: unknown; label?: unknown };
      if (typeof label === 'string' && label.length > 80) {
        throw invalidFormBody(
          `components.${r}.components.${c}.label`,
          'BASE_TYPE_MAX_LENGTH',
          'Must be 80 or fewer in length.',
        );
      }
      if (typeof customId !== 'string') continue;
      if (customId.length > 100) {
        throw invalidFormBody(
          `components.${r}.components.${c}.custom_id`,
          'BASE_TYPE_MAX_LENGTH',
          'Must be 100 or fewer in length.',
        );
      }
      if (seen.has(customId)) {
        throw invalidFormBody(
          'components',
          'COMPONENT_CUSTOM_ID_DUPLICATED',
          'Component custom id cannot be duplicated',
        );
      }
      seen.add(customId);
    }
  }
}

function attachmentEntries(body: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const entries = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
  return new Map(entries.map((entry) => [String(entry.id), entry]));
}

function storeFile(
  state: FakeState,
  baseUrl: string,
  channelId: string,
  file: UploadedFile,
  byIndex: Map<string, Record<string, unknown>>,
): FakeAttachment {
  const entry = byIndex.get(String(file.index));
  const given = typeof entry?.filename === 'string' ? entry.filename : file.name;
  const filename = given.replace(/\s+/g, '_') || 'unknown';
  const id = state.ids.next();
  return {
    id,
    filename,
    size: file.bytes.length,
    url: `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
    bytes: file.bytes,
    contentType: contentTypeOf(filename, file.contentType),
  };
}

const BY_EXTENSION: Record<string, string> = {
  mp4: 'video/mp4',
  webm: 'video/webm',
  gif: 'image/gif',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function contentTypeOf(filename: string, sent: string): string {
  if (sent && sent !== 'application/octet-stream') return sent;
  return BY_EXTENSION[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
