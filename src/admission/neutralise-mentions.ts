/** Zero-width space: keeps `@everyone` looking the same while no platform parses it as a mention. */
const ZWSP = '\u200b';

/** A label a user typed inside a mention (`<#C1|general>`), without a leading sigil. */
function label(text: string | undefined, fallback: string): string {
  const cleaned = (text ?? '').replace(/^[@#!]+/, '').trim();
  return cleaned === '' ? fallback : cleaned;
}

/** Encoded mentions of both platforms and the plain text each becomes. Order matters. */
const ENCODED: [RegExp, (match: string, ...groups: string[]) => string][] = [
  // Discord role <@&123>.
  [/<@&[^<>]*>/g, () => '@role'],
  // Slack user with a label <@U123|bob>.
  [/<@[^<>|]*\|([^<>]*)>/g, (_, name) => `@${label(name, 'user')}`],
  // Discord user <@123>, <@!123>; Slack user <@U123ABC>, <@W123>.
  [/<@[^<>]*>/g, () => '@user'],
  // Slack channel <#C123|general>.
  [/<#[^<>|]*\|([^<>]*)>/g, (_, name) => `#${label(name, 'channel')}`],
  // Discord channel <#123>; Slack channel <#C123>.
  [/<#[^<>]*>/g, () => '#channel'],
  // Slack user group <!subteam^S123|@team>, <!subteam^S123>.
  [/<!subteam\^[^<>|]*(?:\|([^<>]*))?>/gi, (_, name) => `@${label(name, 'group')}`],
  // Slack broadcasts <!here>, <!channel>, <!everyone>, with or without a label.
  [/<!(here|channel|everyone)(?:\|[^<>]*)?>/gi, (_, word) => word],
  // Any other Slack special <!date^…|Feb 18>: its label, else the keyword.
  [/<!([^<>|^]*)[^<>|]*(?:\|([^<>]*))?>/g, (_, word, name) => label(name, word)],
];

/**
 * Makes text safe to echo on any platform: it can mention no one. Encoded mentions (Discord `<@123>`,
 * `<@!123>`, `<@&123>`, `<#123>`; Slack `<@U123>`, `<#C123|name>`, `<!here>`, `<!channel>`,
 * `<!everyone>`, `<!subteam^S123|@team>`) become plain labels (`@user`, `@role`, `#channel`, `#name`,
 * `here`, `@team`), repeated until none is left so nesting cannot rebuild one. Then every `@` before a
 * letter or digit gets a zero-width space after it: `@everyone`, `@here`, `@channel` and labels like
 * `@team` look unchanged but neither Discord nor Slack (even with `link_names`) pings anyone.
 * Adapters still send empty `allowed_mentions`; this is defence in depth.
 */
export function neutraliseMentions(text: string): string {
  let out = text;
  for (let previous = ''; previous !== out; ) {
    previous = out;
    for (const [pattern, replace] of ENCODED) out = out.replace(pattern, replace);
  }
  return out.replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWSP}`);
}
