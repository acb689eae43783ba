import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
function plain(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed.toLowerCase();
}

/**
 * The address a playground request comes from: the socket's, or, when the socket is one of the
 * trusted proxies, the nearest `X-Forwarded-For` hop that is not one (read from the right: each proxy
 * appends the address it saw, and everything to the left of a trusted proxy's entry came from the
 * client, which could write anything there).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  let address = plain(req.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies.has(address)) return address;
  const hops = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map(plain)
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) break; // a malformed entry: the last proxy's view is all we can trust
    address = hop;
    if (!trustedProxies.has(hop)) break;
  }
  return address;
}

/** The trusted proxies as the set {@link clientAddress} takes. */
export function proxySet(addresses: readonly string[] = []): ReadonlySet<string> {
  return new Set(addresses.map(plain));
}

/**
 * The key limits count a client under: its IPv4 address, or its IPv6 /64 (one host is usually
 * handed a whole /64, so counting single IPv6 addresses would let it rotate through them).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const full = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0')];
  const prefix = full.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
