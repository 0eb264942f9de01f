// Whom a per-IP limit counts a request against. An IPv6 client usually holds a
// whole /64 (its router hands out the prefix and the host picks any of 2^64 addresses), so counting per address
// would give it a fresh bucket per request: IPv6 clients are grouped by /64. IPv4 stays per address, and an
// IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack socket reports for an IPv4 client) is that IPv4
// client. Addresses are read by Node's own parser (inet_pton, through `net.SocketAddress`), never matched as text.
import { isIP, SocketAddress } from 'node:net';

/** The eight 16-bit groups of an IPv6 address as inet_ntop writes it (lowercase, `::` for the longest run of zeros). */
function groupsOf(canonical: string): number[] {
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const part = (text: string | undefined) =>
    !text
      ? []
      : text.split(':').flatMap((group) => {
          // inet_ntop writes the last 32 bits in dotted form for mapped and compatible addresses.
          if (isIP(group) !== 4) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const first = part(head);
  const last = part(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/**
 * The key a per-IP limit counts `ip` under: an IPv4 address as itself, an IPv6 address as its /64
 * (`2001:db8:1:2::/64`), an IPv4-mapped IPv6 address as its IPv4 address. Anything that is not an address
 * (a proxy's header can say anything) is its own key.
 */
export function clientKey(ip: string): string {
  // A zone (`fe80::1%eth0`) names the interface, not the client: only link-local addresses carry one.
  const address = ip.split('%')[0];
  const family = isIP(address);
  if (family === 0) return ip;
  const canonical = new SocketAddress({ address, family: family === 4 ? 'ipv4' : 'ipv6' }).address;
  if (family === 4) return canonical;
  const groups = groupsOf(canonical);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
