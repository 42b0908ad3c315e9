import { BlockList, isIPv4, isIPv6 } from 'node:net';

// Addresses that are not public unicast: a server reaching them on a user's behalf could read its own
// network (cloud metadata at 169.254.169.254, admin panels, databases). `BlockList` also matches
// IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 rules.
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking, used inside some networks
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast included
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

// Blocked even when private networks are allowed (POLLYBOT_URL_IMPORT_ALLOW_PRIVATE=true, for an intranet):
// link-local addresses, where every cloud serves its instance metadata and credentials, and the metadata
// services that live elsewhere (Alibaba Cloud's in CGNAT space, AWS's IPv6 one in unique-local space).
const alwaysBlocked = new BlockList();
alwaysBlocked.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: AWS, GCP, Azure, Oracle... metadata
alwaysBlocked.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
alwaysBlocked.addSubnet('fe80::', 10, 'ipv6'); // link-local
alwaysBlocked.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

/** Whether an IP address (v4 or v6) lies in a private, loopback, link-local, unique-local, CGNAT, multicast, unspecified or reserved range. */
export function isBlockedAddress(address: string): boolean {
  return isInList(blocked, address);
}

/**
 * Whether an address is link-local or a cloud's metadata service, in any of its forms (IPv4, IPv6, and IPv6
 * carrying the IPv4 address: mapped, compatible, NAT64, 6to4). Not an IP address counts as such.
 */
function isLinkLocalAddress(address: string): boolean {
  return isInList(alwaysBlocked, address);
}

/** Whether the address, or the IPv4 address an IPv6 one carries, is in the list; not an IP address is. */
function isInList(list: BlockList, address: string): boolean {
  const bare = address.replace(/%.*$/, ''); // a link-local address may carry a zone: fe80::1%eth0
  if (isIPv4(bare)) return list.check(bare, 'ipv4');
  if (!isIPv6(bare)) return true;
  if (list.check(bare, 'ipv6')) return true;
  const embedded = embeddedIpv4(bare);
  return embedded !== undefined && list.check(embedded, 'ipv4');
}

/**
 * The addresses a URL import may connect to: public ones; with `allowPrivateNetworks` also private and
 * loopback ones, but never link-local ones or metadata services.
 */
export function isImportableAddress(address: string, allowPrivateNetworks: boolean): boolean {
  return allowPrivateNetworks ? !isLinkLocalAddress(address) : !isBlockedAddress(address);
}

// IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96) addresses are an IPv4 address, and NAT64
// (64:ff9b::/96) and 6to4 (2002::/16) ones carry one that the network translates to: each is judged by
// that address.
function embeddedIpv4(address: string): string | undefined {
  const words = parseIpv6(address);
  if (!words) return undefined;
  if (words.slice(0, 5).every((word) => word === 0) && (words[5] === 0xffff || words[5] === 0)) {
    return wordsToIpv4(words[6] ?? 0, words[7] ?? 0);
  }
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) {
    return wordsToIpv4(words[6] ?? 0, words[7] ?? 0);
  }
  if (words[0] === 0x2002) return wordsToIpv4(words[1] ?? 0, words[2] ?? 0);
  return undefined;
}

function wordsToIpv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of a valid IPv6 address. */
function parseIpv6(address: string): number[] | undefined {
  const [head = '', tail] = address.split('::');
  const toWords = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const headWords = toWords(head);
  const tailWords = tail === undefined ? [] : toWords(tail);
  const gap = 8 - headWords.length - tailWords.length;
  if (gap < 0 || (tail === undefined && gap !== 0)) return undefined;
  return [...headWords, ...new Array<number>(gap).fill(0), ...tailWords];
}
