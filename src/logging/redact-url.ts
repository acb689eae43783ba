/**
 * A URL or request path as it may be logged: without its query string and fragment (`?token=…`
 * opens the playground and the dashboard) and without a password in its user part
 * (`redis://:secret@host`). Anything that is not a string passes unchanged.
 */
export function redactUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const cut = value.search(/[?#]/);
  const bare = cut === -1 ? value : `${value.slice(0, cut)}${value[cut] === '?' ? '?[redacted]' : ''}`;
  return bare.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1[redacted]@');
}
