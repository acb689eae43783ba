import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import {
  type ButtonAction,
  type PostOrigin,
  progressBar,
  type ReplyButton,
  type ShownReply,
  withRetrySentence,
} from '../../core/index.ts';

/** Discord's limit on a message's content. */
const MAX_CONTENT = 2_000;

const STYLES: Record<ButtonAction, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger> = {
  cancel: ButtonStyle.Danger,
  reroll: ButtonStyle.Primary,
  delete: ButtonStyle.Secondary,
};

/** What one state of a reply looks like on Discord: text, buttons, and the clip when it is done. */
export interface DiscordView {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  file?: { name: string; data: Buffer };
}

/** A Discord timestamp: every reader sees it in their own time zone (`R`: "in 2 minutes"). */
export function discordTime(ms: number, style: 'R' | 't' | 'F' = 'R'): string {
  return `<t:${Math.ceil(ms / 1000)}:${style}>`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The refusal's own "Try again at 14:05 UTC." shown as a timestamp in the reader's time zone. */
function refusalText(message: string, retryAt: number | undefined): string {
  if (retryAt === undefined) return message;
  return withRetrySentence(message, `Try again ${discordTime(retryAt, 't')} (${discordTime(retryAt)}).`);
}

function contentOf(reply: ShownReply, now: number): string {
  switch (reply.kind) {
    case 'queued':
      if (reply.noWorker)
        return '⏸️ Queued, but video generation is down right now. Your request keeps its place and runs when it is back.';
      return reply.position <= 1
        ? `⏳ Next in line, starting ${discordTime(now + reply.etaMs)}.`
        : `⏳ Queued: position ${reply.position}, about ${discordTime(now + reply.etaMs)}.`;
    case 'running':
      return `🎬 Rendering at ${reply.tier} ${progressBar(reply.step, reply.totalSteps)} step ${reply.step}/${reply.totalSteps}, done ${discordTime(now + reply.etaMs)}.`;
    case 'done': {
      const { clip } = reply;
      const lines = [
        `**${reply.prompt}**`,
        `seed ${clip.seed} · ${clip.tier} · made in ${seconds(clip.elapsedMs)}`,
      ];
      if (clip.fallback)
        lines.push(`Made at ${clip.tier} instead of ${clip.fallback.from}: ${clip.fallback.reason}.`);
      return lines.join('\n');
    }
    case 'refused':
      return `🚫 ${refusalText(reply.message, reply.retryAt)}`;
    case 'failed':
      return `❌ ${reply.message}`;
    case 'cancelled':
      return '✖️ Cancelled.';
    case 'deleted':
      return '';
  }
}

function buttonRows(buttons: readonly ReplyButton[]): DiscordView['components'] {
  if (buttons.length === 0) return [];
  const row: APIButtonComponent[] = buttons.map((button) => ({
    type: ComponentType.Button,
    style: STYLES[button.action],
    label: button.label,
    custom_id: button.customId,
  }));
  return [{ type: ComponentType.ActionRow, components: row }];
}

/** The line above a post the bot made on its own: why it is there. Mentions in it ping no one. */
export function originLine(origin: PostOrigin): string {
  if (origin.kind === 'schedule')
    return `🗓️ Scheduled clip #${origin.scheduleId} by <@${origin.ownerId}> · ${origin.description}`;
  return `📅 Teaser for **${origin.name}**, starting ${discordTime(origin.startsAt, 'F')} · ${origin.url}`;
}

/** The view of a reply's state (`deleted` has none: the message goes); `origin` heads a post. */
export function discordView(reply: ShownReply, now = Date.now(), origin?: PostOrigin): DiscordView {
  const state = contentOf(reply, now);
  const content = origin && reply.kind !== 'deleted' ? `${originLine(origin)}\n${state}` : state;
  return {
    content: content.length > MAX_CONTENT ? `${content.slice(0, MAX_CONTENT - 1)}…` : content,
    components: buttonRows(reply.buttons),
    ...(reply.kind === 'done'
      ? { file: { name: reply.clip.fileName, data: asBuffer(reply.clip.bytes) } }
      : {}),
  };
}

/** The clip's bytes as a Buffer over the same memory (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
