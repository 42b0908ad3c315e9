import { describe, expect, it } from 'vitest';
import { isBlockedAddress, isImportableAddress } from './is-blocked-address.ts';

describe('isBlockedAddress', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.7', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['not an address', 'not an IP address'],
  ])('blocks %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '93.184.215.14',
    '2606:4700::1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('isImportableAddress', () => {
  const linkLocalAndMetadata = [
    ['169.254.169.254', 'cloud metadata (AWS, GCP, Azure, Oracle)'],
    ['169.254.0.1', 'link-local'],
    ['100.100.100.200', 'Alibaba Cloud metadata'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::a9fe:a9fe%eth0', 'IPv6 link-local with a zone'],
    ['febf:ffff::1', 'the end of fe80::/10'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata in hex'],
    ['::169.254.169.254', 'IPv4-compatible metadata'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
    ['2002:a9fe:a9fe::1', '6to4 of the metadata address'],
    ['::ffff:100.100.100.200', 'IPv4-mapped Alibaba metadata'],
    ['not an address', 'not an IP address'],
  ] as const;

  it.each(linkLocalAndMetadata)('refuses %s (%s) even when private networks are allowed', (address) => {
    expect(isImportableAddress(address, true)).toBe(false);
    expect(isImportableAddress(address, false)).toBe(false);
  });

  it.each(['127.0.0.1', '::1', '10.0.0.5', '192.168.1.20', 'fd12:3456::1', '::ffff:10.0.0.5', '100.64.0.1'])(
    'lets %s through only when private networks are allowed',
    (address) => {
      expect(isImportableAddress(address, true)).toBe(true);
      expect(isImportableAddress(address, false)).toBe(false);
    },
  );

  it.each(['8.8.8.8', '2606:4700::1', '::ffff:8.8.8.8'])('lets the public address %s through', (address) => {
    expect(isImportableAddress(address, true)).toBe(true);
    expect(isImportableAddress(address, false)).toBe(true);
  });
});
