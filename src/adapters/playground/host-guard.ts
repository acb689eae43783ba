import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../../http/index.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** `[::1]` for an IPv6 address, as it appears in a Host header; names and IPv4 as they are. */
const bracketed = (host: string): string =>
  host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;

/** `name` and `port` of `name[:port]` (`[v6]:port` too); undefined for anything else. */
function split(value: string): { name: string; port?: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return { name: (match[1] as string).toLowerCase(), ...(match[2] ? { port: Number(match[2]) } : {}) };
}

/**
 * Which Host and Origin headers the playground answers, against DNS rebinding: a page on another
 * site whose name was pointed at this machine sends its own name in Host, and its own origin with a
 * POST, so both are refused. Allowed: the operator's list (`name` for any port, `name:port` for one)
 * when given, else the listening host with the loopback names, and, when listening on every
 * interface, this machine's addresses and host name; those at the listening port only.
 */
export class HostGuard {
  private readonly allowed: { name: string; port?: number }[];

  constructor(listenHost: string, port: number, configured: readonly string[] = []) {
    const entries =
      configured.length > 0
        ? [...configured]
        : [
            ...new Set([
              bracketed(listenHost),
              ...LOOPBACK_NAMES,
              ...(isWildcard(listenHost) ? ownNames() : []),
            ]),
          ]
            .filter((name) => !isWildcard(name.replace(/^\[(.*)\]$/, '$1')))
            .map((name) => `${name}:${port}`);
    this.allowed = entries.flatMap((entry) => split(entry) ?? []);
  }

  /** Why the request is refused (a short message for a 403), or undefined when it may pass. */
  refusal(req: IncomingMessage): string | undefined {
    if (!this.allows(req.headers.host ?? '', 80))
      return 'This playground does not answer to that host name (see CLIPBOT_PLAYGROUND_HOSTS).';
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowsOrigin(origin))
      return 'Requests from other sites are not accepted.';
    return undefined;
  }

  /** The names a browser may use, for the start-up log line. */
  get names(): string[] {
    return this.allowed.map(({ name, port }) => (port === undefined ? name : `${name}:${port}`));
  }

  private allowsOrigin(origin: string): boolean {
    const match = /^(https?):\/\/([^/]+)$/i.exec(origin);
    if (!match) return false; // "null" (a sandboxed frame, a file) is no site of ours
    return this.allows(match[2] as string, (match[1] as string).toLowerCase() === 'https' ? 443 : 80);
  }

  private allows(value: string, defaultPort: number): boolean {
    const given = split(value);
    if (!given) return false;
    const port = given.port ?? defaultPort;
    return this.allowed.some((a) => a.name === given.name && (a.port === undefined || a.port === port));
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** This machine's addresses and host name: what a browser elsewhere uses to reach a wildcard bind. */
function ownNames(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info && !isLoopbackHost(info.address) ? [bracketed(info.address)] : []));
  return [hostname(), ...addresses];
}
