import {
  type ButtonAction,
  type PostOrigin,
  progressBar,
  type ShownReply,
  tryAgainAt,
  withRetrySentence,
} from '../../core/index.ts';

/** Slack's limit on a section block's text. */
const MAX_SECTION = 3_000;

const STYLES: Partial<Record<ButtonAction, 'danger' | 'primary'>> = { cancel: 'danger', reroll: 'primary' };

/** Block Kit, as far as clipbot uses it. */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | {
      type: 'actions';
      elements: {
        type: 'button';
        action_id: string;
        text: { type: 'plain_text'; text: string };
        style?: 'danger' | 'primary';
      }[];
    };

/** One state of a reply on Slack: the notification text (`text`) and the blocks shown. */
export interface SlackView {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Text as Slack must receive it: `&`, `<` and `>` escaped, so nothing a user typed can form a
 * mention (`<!channel>`, `<@U…>`), a link or a date token.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack date token: every reader sees the time in their own time zone ("14:05"); `withDate` adds
 * the day ("Jan 15 at 19:00").
 */
export function slackTime(ms: number, withDate = false): string {
  const seconds = Math.ceil(ms / 1000);
  const iso = new Date(seconds * 1000).toISOString();
  const fallback = `${withDate ? `${iso.slice(0, 10)} ` : ''}${iso.slice(11, 16)} UTC`;
  return `<!date^${seconds}^${withDate ? '{date_short_pretty} at {time}' : '{time}'}|${fallback}>`;
}

/** The refusal's own "Try again at 14:05 UTC." shown as a date token in the reader's time zone. */
function refusalText(message: string, retryAt: number | undefined): string {
  const escaped = slackEscape(message);
  return retryAt === undefined ? escaped : withRetrySentence(escaped, tryAgainAt(slackTime(retryAt)));
}

function textOf(reply: ShownReply, now: number): string {
  switch (reply.kind) {
    case 'queued':
      if (reply.noWorker)
        return ':double_vertical_bar: Queued, but video generation is down right now. Your request keeps its place and runs when it is back.';
      return reply.position <= 1
        ? `:hourglass_flowing_sand: Next in line, done around ${slackTime(now + reply.etaMs)}.`
        : `:hourglass_flowing_sand: Queued: position ${reply.position}, done around ${slackTime(now + reply.etaMs)}.`;
    case 'running':
      return `:clapper: Rendering at ${reply.tier} ${progressBar(reply.step, reply.totalSteps)} step ${reply.step}/${reply.totalSteps}, done around ${slackTime(now + reply.etaMs)}.`;
    case 'done': {
      const { clip } = reply;
      const lines = [
        `*${slackEscape(reply.prompt)}*`,
        `seed ${clip.seed} · ${clip.tier} · made in ${(clip.elapsedMs / 1000).toFixed(1)} s · the clip is in the thread`,
      ];
      if (clip.fallback)
        lines.push(
          `Made at ${clip.tier} instead of ${clip.fallback.from}: ${slackEscape(clip.fallback.reason)}.`,
        );
      return lines.join('\n');
    }
    case 'refused':
      return `:no_entry_sign: ${refusalText(reply.message, reply.retryAt)}`;
    case 'failed':
      return `:x: ${slackEscape(reply.message)}`;
    case 'cancelled':
      return ':heavy_multiplication_x: Cancelled.';
    case 'deleted':
      return '';
  }
}

/** A short message as plain escaped text: notices, and the placeholder before the core answers. */
export function plainView(text: string): SlackView {
  const escaped = slackEscape(text);
  return { text: escaped, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escaped } }] };
}

/** Why a post the bot made on its own is there, as a context line (mentions in it notify no one). */
export function originText(origin: PostOrigin): string {
  if (origin.kind === 'schedule')
    return `:calendar: Scheduled clip #${origin.scheduleId} by <@${origin.ownerId}> · ${slackEscape(origin.description)}`;
  const link = /^https:\/\/[^\s<>|]+$/.test(origin.url) ? ` · <${origin.url}|event page>` : '';
  return `:date: Teaser for *${slackEscape(origin.name)}*, starting ${slackTime(origin.startsAt, true)}${link}`;
}

/** The view of a reply's state (`deleted` has none: the message goes); `origin` heads a post. */
export function slackView(reply: ShownReply, now = Date.now(), origin?: PostOrigin): SlackView {
  const full = textOf(reply, now);
  const text = full.length > MAX_SECTION ? `${full.slice(0, MAX_SECTION - 1)}…` : full;
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (origin) blocks.unshift({ type: 'context', elements: [{ type: 'mrkdwn', text: originText(origin) }] });
  if (reply.buttons.length > 0)
    blocks.push({
      type: 'actions',
      elements: reply.buttons.map((button) => ({
        type: 'button',
        action_id: button.customId,
        text: { type: 'plain_text', text: button.label },
        ...(STYLES[button.action] ? { style: STYLES[button.action] } : {}),
      })),
    });
  return { text, blocks };
}

/**
 * The view with who asked under it: Slack shows nobody else a slash command's text, so a message in
 * a channel says whose request it answers (the requester's own DM needs no such line).
 */
export function askedBy(view: SlackView, userId: string, channelId: string): SlackView {
  if (channelId.startsWith('D')) return view;
  const line: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `asked by <@${userId}>` }] };
  return { ...view, blocks: [...view.blocks, line] };
}
