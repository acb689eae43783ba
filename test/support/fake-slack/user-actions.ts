import { createHash } from 'node:crypto';
import { findButton, parseBlocks } from './block-kit.ts';
import type { Outgoing } from './http-delivery.ts';
import { secret } from './ids.ts';
import { blockActionsPayload, functionExecutedBody, slashCommandForm } from './payloads.ts';
import type { ChannelRecord, FakeState, TeamRecord } from './state.ts';
import type { ButtonPressInput, FakeAck, SlashCommandInput, WorkflowStepInput } from './types.ts';

/** A user's action, ready to deliver: the request and the ids the user's client got. */
export interface BuiltAction {
  outgoing: Outgoing;
  triggerId: string;
  responseUrl: string;
  team: TeamRecord;
  channel: ChannelRecord;
  userId: string;
}

/** Builds the exact requests Slack sends when users act, and registers their response URLs. */
export class UserActions {
  constructor(
    private readonly state: FakeState,
    private readonly origin: () => string,
  ) {}

  slashCommand(input: SlashCommandInput): BuiltAction {
    const { team, channel } = this.#where(input.teamId, input.channelId, input.userId);
    const triggerId = this.state.ids.triggerId();
    const hook = this.state.newResponseUrl({ teamId: team.id, channelId: channel.id, userId: input.userId });
    const responseUrl = `${this.origin()}/response/${hook.id}`;
    const form = slashCommandForm(
      this.state,
      team,
      channel,
      {
        userId: input.userId,
        username: input.username ?? usernameOf(input.userId),
        command: input.command ?? '/video',
        text: input.text,
      },
      { triggerId, responseUrl },
    );
    return {
      outgoing: { kind: 'slash_commands', id: triggerId, payload: form },
      triggerId,
      responseUrl,
      team,
      channel,
      userId: input.userId,
    };
  }

  /** A press on a button of a stored message, or of an ephemeral message the user was shown. */
  pressButton(input: ButtonPressInput): BuiltAction {
    const { team, channel } = this.#where(input.teamId, input.channelId, input.userId);
    const message = this.state.liveMessage(channel.id, input.messageTs);
    const ephemeral = message
      ? undefined
      : this.state.ephemerals.findLast((e) => e.messageTs === input.messageTs && e.channelId === channel.id);
    if (!message && ephemeral?.userId !== input.userId) {
      throw new Error(`fake-slack: ${input.userId} sees no message ${input.messageTs} in ${channel.id}`);
    }
    const found = findButton(message?.blocks ?? ephemeral?.blocks ?? [], input.actionId);
    if (!found) throw new Error(`fake-slack: message ${input.messageTs} has no button ${input.actionId}`);
    if (input.value !== undefined && found.button.value !== input.value) {
      throw new Error(`fake-slack: button ${input.actionId} has value ${String(found.button.value)}`);
    }
    const triggerId = this.state.ids.triggerId();
    const hook = this.state.newResponseUrl({
      teamId: team.id,
      channelId: channel.id,
      userId: input.userId,
      source: { messageTs: input.messageTs, isEphemeral: message === undefined },
    });
    const responseUrl = `${this.origin()}/response/${hook.id}`;
    const threadTs = message?.threadTs ?? ephemeral?.threadTs;
    const payload = blockActionsPayload(
      this.state,
      team,
      channel,
      {
        userId: input.userId,
        username: input.username ?? usernameOf(input.userId),
        messageTs: input.messageTs,
        ...(threadTs === undefined ? {} : { threadTs }),
      },
      message,
      { actionId: input.actionId, ...found },
      { triggerId, responseUrl },
    );
    return {
      outgoing: { kind: 'interactive', id: triggerId, payload },
      triggerId,
      responseUrl,
      team,
      channel,
      userId: input.userId,
    };
  }

  /** A `function_executed` event: a workflow reached the app's custom step. */
  workflowStep(input: WorkflowStepInput): { outgoing: Outgoing; executionId: string; token: string } {
    const team = this.state.team(input.teamId);
    const executionId = this.state.ids.next('Fx', 10);
    const token = `xwfp-${team.id.slice(1)}-${executionId}-${secret(16)}`;
    const eventId = this.state.ids.next('Ev', 10);
    const workflowExecutionId = this.state.ids.next('Wx', 10);
    this.state.executions.set(executionId, {
      id: executionId,
      workflowExecutionId,
      teamId: team.id,
      callbackId: input.callbackId,
      token,
      issuedAt: this.state.now(),
    });
    const functionId = `Fn${createHash('sha1').update(input.callbackId).digest('hex').slice(0, 10).toUpperCase()}`;
    const body = functionExecutedBody(
      this.state,
      team,
      { callbackId: input.callbackId, title: input.title ?? input.callbackId, inputs: input.inputs },
      { functionId, executionId, workflowExecutionId, eventId, token },
    );
    return { outgoing: { kind: 'events_api', id: eventId, payload: body }, executionId, token };
  }

  /**
   * What a slash command's ack says to the user (an HTTP body or the envelope payload): text or
   * `{ text, blocks, response_type }`, shown ephemerally unless `response_type` is `in_channel`.
   */
  showCommandAck(action: BuiltAction, ack: FakeAck): void {
    if (ack.status !== 200 || ack.body === '') return;
    let reply: { text?: unknown; blocks?: unknown; response_type?: unknown };
    try {
      reply = JSON.parse(ack.body);
      if (typeof reply !== 'object' || reply === null) reply = { text: ack.body };
    } catch {
      reply = { text: ack.body };
    }
    const text = typeof reply.text === 'string' ? reply.text : '';
    let blocks: Record<string, unknown>[] | undefined;
    try {
      blocks = parseBlocks(reply.blocks);
    } catch (error) {
      throw new Error(`fake-slack: the app acked ${action.triggerId} with blocks Slack refuses`, {
        cause: error,
      });
    }
    if (reply.response_type === 'in_channel') {
      this.state.post(action.team, { channelId: action.channel.id, text, blocks: blocks ?? [] });
      return;
    }
    this.state.ephemerals.push({
      channelId: action.channel.id,
      userId: action.userId,
      text,
      ...(blocks === undefined ? {} : { blocks }),
      messageTs: this.state.ids.ts(),
      source: 'ack',
    });
  }

  #where(teamId: string | undefined, channelId: string, userId: string) {
    const team = this.state.team(teamId);
    const channel = this.state.channels.get(channelId);
    if (!channel || channel.teamId !== team.id) {
      throw new Error(`fake-slack: team ${team.id} has no channel ${channelId}`);
    }
    if (channel.members && !channel.members.has(userId)) {
      throw new Error(`fake-slack: ${userId} is not in ${channelId}`);
    }
    return { team, channel };
  }
}

/** The handle the fake gives a user (Slack's `user_name`), the same `users.info` reports. */
export function usernameOf(userId: string): string {
  return `user-${userId.slice(-4).toLowerCase()}`;
}
