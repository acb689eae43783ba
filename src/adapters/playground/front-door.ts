import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, rejectUnauthenticated } from '../../http/index.ts';
import { addressKey, clientAddress, proxySet } from './client-address.ts';
import { HostGuard } from './host-guard.ts';
import { sendJson } from './http-io.ts';

/** A request let in: its URL, its path without `?token=`, and the user its limits count under. */
export interface Admitted {
  url: URL;
  path: string;
  /** The client's address (IPv6: its /64): the user that limits and job ownership count. */
  user: string;
}

/**
 * What every playground request passes before it reaches a route: a Host (and Origin) of this
 * playground, a parsable target, the token when one is set; and whose address it comes from.
 */
export class FrontDoor {
  private readonly guard: HostGuard;
  private readonly proxies: ReadonlySet<string>;
  private readonly token: string | undefined;

  constructor(
    options: {
      host: string;
      token?: string;
      allowedHosts?: readonly string[];
      trustedProxies?: readonly string[];
    },
    port: number,
  ) {
    this.guard = new HostGuard(options.host, port, options.allowedHosts);
    this.proxies = proxySet(options.trustedProxies);
    this.token = options.token;
  }

  /** The names browsers may use, for the start-up log line. */
  get hosts(): string[] {
    return this.guard.names;
  }

  /** The request's facts, or undefined once it has been answered (403, 400 or 401). */
  admit(req: IncomingMessage, res: ServerResponse): Admitted | undefined {
    const foreign = this.guard.refusal(req);
    if (foreign) return void sendJson(res, 403, { error: foreign });
    const base = 'http://playground.invalid';
    if (!URL.canParse(req.url ?? '/', base)) return void sendJson(res, 400, { error: 'Malformed request.' });
    const url = new URL(req.url ?? '/', base);
    let path = url.pathname;
    if (this.token) {
      const auth = authenticate(req, this.token, 'clipbot_playground');
      if (!auth.ok) return void rejectUnauthenticated(res, 'clipbot playground');
      if (auth.setCookie) res.setHeader('set-cookie', auth.setCookie);
      path = auth.path;
    }
    return { url, path, user: addressKey(clientAddress(req, this.proxies)) };
  }
}
