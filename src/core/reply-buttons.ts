import type { Reply } from './reply.ts';

export const BUTTON_ACTIONS = ['cancel', 'reroll', 'delete'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

/** One button under a reply: adapters draw it and send its `customId` back when it is pressed. */
export interface ReplyButton {
  action: ButtonAction;
  /** `video:<action>:<replyId>`, at most 100 characters (Discord's limit for custom ids). */
  customId: string;
  label: string;
}

const LABELS: Record<ButtonAction, string> = { cancel: 'Cancel', reroll: 'Reroll', delete: 'Delete' };
const MAX_ID_LENGTH = 100;
const ID = /^video:(cancel|reroll|delete):([A-Za-z0-9._:-]{1,80})$/;

/** The stateless id of a button: the action and the reply it acts on, looked up in Redis when pressed. */
export function buttonId(action: ButtonAction, replyId: string): string {
  const id = `video:${action}:${replyId}`;
  if (id.length > MAX_ID_LENGTH || !ID.test(id)) throw new Error(`reply id unfit for a button: ${replyId}`);
  return id;
}

/** The action and reply id of a pressed button, or undefined when the id is not one of ours. */
export function parseButtonId(customId: string): { action: ButtonAction; replyId: string } | undefined {
  const match = ID.exec(customId);
  if (!match) return undefined;
  return { action: match[1] as ButtonAction, replyId: match[2] as string };
}

/**
 * Which buttons each state offers: Cancel while queued or running; Reroll and Delete under a clip;
 * Reroll after a failure or cancel; none on a refusal or a deleted reply.
 */
export function actionsFor(reply: Reply): ButtonAction[] {
  switch (reply.kind) {
    case 'queued':
    case 'running':
      return ['cancel'];
    case 'done':
      return ['reroll', 'delete'];
    case 'failed':
    case 'cancelled':
      return ['reroll'];
    default:
      return [];
  }
}

/** The buttons of a reply shown in the message of `replyId`. */
export function buttonsFor(reply: Reply, replyId: string): ReplyButton[] {
  return actionsFor(reply).map((action) => ({
    action,
    customId: buttonId(action, replyId),
    label: LABELS[action],
  }));
}

/**
 * A reply as an adapter receives it: the state, the buttons the core offers in that state, and
 * whether the requester asked that only they see it (Discord ephemeral, Slack ephemeral or DM).
 */
export type ShownReply = Reply & { buttons: readonly ReplyButton[]; private: boolean };
