import type { IncomingMessage, ServerResponse } from 'node:http';
import { sessionValue, tokensMatch } from './token-match.ts';

/** Name of the cookie that `?token=` sets. */
export const SESSION_COOKIE = 'clipbot_dashboard';

/** Whether a request may pass, and the request URL to hand on (without its `token` parameter). */
export interface AuthResult {
  ok: boolean;
  /** Path and query without `token`, so the token never reaches Bull Board or a log line. */
  url: string;
  /** The pathname alone, for logs. */
  path: string;
  /** A `Set-Cookie` value when the request authenticated through `?token=`. */
  setCookie?: string;
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Checks a request for the dashboard token: `Authorization: Bearer <token>`, the session cookie,
 * or `?token=<token>`, which also answers with the cookie. The cookie is HttpOnly (no script reads
 * it) and SameSite=Strict (no other site can make the browser send it, so no cross-site POSTs to
 * Bull Board's retry and clean routes).
 */
export function authenticate(req: IncomingMessage, token: string, cookieName = SESSION_COOKIE): AuthResult {
  const base = 'http://dashboard.invalid';
  // An absolute-form request target can be unparsable ("GET http://[ HTTP/1.1"); new URL would throw.
  if (!URL.canParse(req.url ?? '/', base)) return { ok: false, url: '/', path: '(unparsable)' };
  const url = new URL(req.url ?? '/', base);
  const fromQuery = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  const result = { url: `${url.pathname}${url.search}`, path: url.pathname };
  if (tokensMatch(token, bearer(req)) || tokensMatch(sessionValue(token), cookie(req, cookieName))) {
    return { ok: true, ...result };
  }
  if (tokensMatch(token, fromQuery)) {
    const setCookie = `${cookieName}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict`;
    return { ok: true, setCookie, ...result };
  }
  return { ok: false, ...result };
}

/** Answers 401 with a line saying how to authenticate. */
export function rejectUnauthenticated(res: ServerResponse, what = 'clipbot dashboard'): void {
  res
    .writeHead(401, {
      'content-type': 'text/plain; charset=utf-8',
      'www-authenticate': `Bearer realm="${what}"`,
    })
    .end(
      `${what}: token required. Send "Authorization: Bearer <token>", ` +
        'or open /?token=<token> once in a browser (it sets a cookie).\n',
    );
}
