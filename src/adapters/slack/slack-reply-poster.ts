import type { Logger } from 'pino';
import type { PostOrigin, ShownReply } from '../../core/index.ts';
import { type SlackClients, slackErrorCode, type WebClient } from './slack-clients.ts';
import type { SlackMessageHandle, SlackNoticeHandle, SlackStepHandle } from './slack-handle.ts';
import { askedBy, plainView, type SlackView, slackView } from './slack-reply-view.ts';
import { UpdateBudget } from './update-budget.ts';

/** Errors that mean the message or file is gone already: nothing left to edit or delete. */
const GONE = new Set(['message_not_found', 'file_not_found', 'file_deleted', 'cant_delete_message']);

/**
 * Renders replies through Slack's Web API with the workspace's bot token: `chat.postMessage` for a
 * reply's first state, `chat.update` for the rest, the clip uploaded with `files.uploadV2` into the
 * message's thread (chat.update cannot attach a file). A refusal of a public request goes to its
 * asker alone (`chat.postEphemeral`) and the public message goes. Workflow steps complete through
 * `functions.completeSuccess` / `completeError` with the step's own token.
 */
export class SlackReplyPoster {
  constructor(
    private readonly clients: SlackClients,
    private readonly logger: Logger,
    private readonly budget = new UpdateBudget(),
  ) {}

  /** Posts a message that will show a reply, before the core answers; returns its handle. */
  async open(handle: SlackMessageHandle, view: SlackView): Promise<SlackMessageHandle> {
    const client = await this.clients.bot(handle.teamId);
    const posted = await client.chat.postMessage({
      channel: handle.channelId,
      ...this.signed(view, handle),
      unfurl_links: false,
    });
    return { ...handle, channelId: posted.channel ?? handle.channelId, ts: posted.ts as string };
  }

  /** Shows `reply` in the handle's message; returns the new handle when it changed. */
  async render(
    handle: SlackMessageHandle,
    reply: ShownReply,
    origin?: PostOrigin,
  ): Promise<SlackMessageHandle | undefined> {
    const client = await this.clients.bot(handle.teamId);
    if (reply.kind === 'deleted') {
      await this.remove(client, handle);
      return undefined;
    }
    const view = slackView(reply, Date.now(), origin);
    if (reply.kind === 'refused' && handle.post) {
      // A post refused (a limit, moderation) is for the person it names: a DM, not the channel.
      await this.remove(client, handle);
      if (handle.userId === '') return undefined;
      const dm = await this.dmWith(client, handle);
      await client.chat.postMessage({ channel: dm.channelId, ...view, unfurl_links: false });
      return undefined;
    }
    if (reply.kind === 'refused' && !reply.private) {
      // For the asker alone; the public "starting…", if any, goes.
      await this.ephemeral(client, handle, view);
      await this.remove(client, handle);
      return undefined;
    }
    if (!handle.ts) {
      // A reply's first message (a reroll's, or a private reply's in the requester's DM).
      const opened = await this.open(await this.home(client, handle, reply.private), view);
      return reply.kind === 'done' ? this.attach(client, opened, reply, view) : opened;
    }
    if (reply.kind === 'done' && !handle.fileId) return this.attach(client, handle, reply, view);
    if ((reply.kind === 'queued' || reply.kind === 'running') && !this.budget.take(handle.teamId)) {
      this.logger.debug({ teamId: handle.teamId }, 'progress edit skipped: over Slack’s chat.update budget');
      return undefined;
    }
    await client.chat.update({
      channel: handle.channelId,
      ts: handle.ts,
      ...this.signed(view, handle),
    });
    return undefined;
  }

  /** Uploads the clip into the message's thread, then shows the final state in the message. */
  private async attach(
    client: WebClient,
    handle: SlackMessageHandle & { ts?: string },
    reply: Extract<ShownReply, { kind: 'done' }>,
    view: SlackView,
  ): Promise<SlackMessageHandle> {
    const uploaded = await client.files.uploadV2({
      channel_id: handle.channelId,
      thread_ts: handle.ts as string,
      file: clipBuffer(reply),
      filename: reply.clip.fileName,
      title: reply.prompt.slice(0, 250),
    });
    const withFile = { ...handle, fileId: uploadedFileId(uploaded) };
    await client.chat.update({
      channel: handle.channelId,
      ts: handle.ts as string,
      ...this.signed(view, handle),
    });
    return withFile;
  }

  /** The view with whose request it answers, unless the bot posts it on its own. */
  private signed(view: SlackView, handle: SlackMessageHandle): SlackView {
    return handle.post ? view : askedBy(view, handle.userId, handle.channelId);
  }

  /** An ephemeral message to one user in one channel. */
  async notify(to: SlackNoticeHandle, message: string): Promise<void> {
    await this.ephemeral(await this.clients.bot(to.teamId), to, plainView(message));
  }

  private async ephemeral(client: WebClient, to: SlackNoticeHandle, view: SlackView): Promise<void> {
    await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...view });
  }

  /**
   * Completes a workflow step once with its final state: done uploads the clip (shared in the
   * step's channel when it names one) and outputs its file id and permalink; anything else fails
   * the step with the reason.
   */
  async completeStep(handle: SlackStepHandle, reply: ShownReply): Promise<void> {
    const step = this.clients.withToken(handle.functionToken);
    if (reply.kind !== 'done') {
      const error = reply.kind === 'cancelled' ? 'The video was cancelled.' : slackView(reply).text;
      await step.functions.completeError({ function_execution_id: handle.executionId, error });
      return;
    }
    const client = await this.clients.bot(handle.teamId);
    const uploaded = await client.files.uploadV2({
      ...(handle.channelId ? { channel_id: handle.channelId } : {}),
      file: clipBuffer(reply),
      filename: reply.clip.fileName,
      title: reply.prompt.slice(0, 250),
    });
    const fileId = uploadedFileId(uploaded);
    const info = await client.files.info({ file: fileId });
    await step.functions.completeSuccess({
      function_execution_id: handle.executionId,
      outputs: { file_id: fileId, permalink: info.file?.permalink ?? '' },
    });
  }

  /** Where a reply's message goes: the requester's DM when private, else the channel. */
  private async home(
    client: WebClient,
    handle: SlackMessageHandle,
    isPrivate: boolean,
  ): Promise<SlackMessageHandle> {
    return isPrivate ? this.dmWith(client, handle) : handle;
  }

  /** The handle moved to the bot's DM with its requester (ephemeral messages cannot carry files). */
  async dmOf(handle: SlackMessageHandle): Promise<SlackMessageHandle> {
    return this.dmWith(await this.clients.bot(handle.teamId), handle);
  }

  private async dmWith(client: WebClient, handle: SlackMessageHandle): Promise<SlackMessageHandle> {
    const opened = await client.conversations.open({ users: handle.userId });
    if (!opened.channel?.id) throw new Error('conversations.open answered without a channel');
    return { ...handle, channelId: opened.channel.id };
  }

  private async remove(client: WebClient, handle: SlackMessageHandle): Promise<void> {
    const steps: Promise<unknown>[] = [];
    if (handle.ts) steps.push(client.chat.delete({ channel: handle.channelId, ts: handle.ts }));
    if (handle.fileId) steps.push(client.files.delete({ file: handle.fileId }));
    for (const result of await Promise.allSettled(steps))
      if (result.status === 'rejected' && !GONE.has(slackErrorCode(result.reason) ?? '')) throw result.reason;
    this.logger.debug({ channelId: handle.channelId }, 'reply removed');
  }
}

/** files.uploadV2 answers one completion per call: `files[0].files[0].id` (DESIGN.md). */
function uploadedFileId(result: unknown): string {
  const completions = (result as { files?: { files?: { id?: string }[] }[] }).files;
  const id = completions?.[0]?.files?.[0]?.id;
  if (!id) throw new Error('files.uploadV2 answered without a file id');
  return id;
}

/** The clip's bytes as a Buffer over the same memory (no copy). */
function clipBuffer(reply: Extract<ShownReply, { kind: 'done' }>): Buffer {
  const { bytes } = reply.clip;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
