import type { CommunityEvent } from '../core/index.ts';

/** `text` cut at a word boundary to at most `max` characters (code points), with an ellipsis. */
function within(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  const cut = points.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** The teaser's prompt: the event's name and description, as one text that fits the model's prompt. */
export function teaserPrompt(event: Pick<CommunityEvent, 'name' | 'description'>, maxLength: number): string {
  const name = event.name.trim();
  const description = event.description?.replace(/\s+/g, ' ').trim();
  const text = description ? `${name}${/[.!?]$/.test(name) ? '' : '.'} ${description}` : name;
  return within(text, maxLength);
}

/** The teaser's caption: the event's name and when it starts in the tenant's zone ("Game night · Fri 4 Dec, 18:00 CET"). */
export function teaserCaption(
  event: Pick<CommunityEvent, 'name' | 'startsAt'>,
  timeZone: string,
  maxLength: number,
): string {
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(event.startsAt));
  const tail = ` · ${when}`;
  return `${within(event.name.trim(), Math.max(10, maxLength - tail.length))}${tail}`;
}
