import type { UploadedFile } from './message-bodies.ts';
import type { FakeState } from './state.ts';

/** A REST request after parsing, as a route handler sees it. */
export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

/** A route's answer: a status and a JSON body (none for 204). */
export interface RouteAnswer {
  status: number;
  body?: unknown;
}

/** One REST route: `pattern` like `/channels/:channel/messages/:message`, matched on the decoded path. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  /** `bot`: needs `Authorization: Bot <token>`; `none`: interaction and webhook-token routes. */
  auth: 'bot' | 'none';
  /** The params that form the rate-limit bucket's major parameter (channel, guild, webhook + token). */
  major?: string[];
  handle(request: RouteRequest): RouteAnswer | Promise<RouteAnswer>;
}

/** The params of `path` under `pattern`, or undefined when it does not match. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

export const ok = (body?: unknown): RouteAnswer => ({ status: body === undefined ? 204 : 200, body });

/** What route handlers share: the fake's state and where it listens (known once it listens). */
export interface RouteContext {
  state: FakeState;
  /** `http://127.0.0.1:PORT` */
  origin: string;
}
