/**
 * Whether `host` (a listening address or a host name, IPv6 with or without brackets) names this
 * machine's loopback interface: 127.0.0.0/8, ::1 or localhost. Anything else reaches the network.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}
