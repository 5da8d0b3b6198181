/**
 * The prefix arithmetic behind the network rules, for both address families: parsing and
 * canonical form, boundary checks, overlap and containment, and allocation in IPv4 and IPv6
 * subnets (the HTTP tests cover IPv4 through the handler; IPv6 is exercised here).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddressRangeError } from '../../../src/core/address-ranges.js';
import {
  NonCanonicalPrefixError,
  formatIpAddress,
  parseIpAddress,
  parseIpPrefix,
  prefixContainsAddress,
  prefixContainsPrefix,
  prefixesOverlap,
} from '../../../src/management/network/ip-prefix.js';
import { placePrivateIp } from '../../../src/management/network/private-ip-allocation.js';

describe('ip-prefix', () => {
  it('parses and formats both families canonically', () => {
    assert.deepEqual(parseIpAddress('10.1.2.3'), { family: 'ipv4', value: 0x0a010203n });
    assert.deepEqual(parseIpAddress('::ffff:10.1.2.3'), { family: 'ipv4', value: 0x0a010203n }, 'mapped IPv4 reads as IPv4');
    assert.equal(formatIpAddress(parseIpAddress('fd00:0:0:0:0:0:0:1')!), 'fd00::1');
    assert.equal(formatIpAddress(parseIpAddress('FD00::A:0:0:1')!), 'fd00::a:0:0:1');
    assert.equal(parseIpAddress('::')!.value, 0n);
    assert.equal(parseIpAddress('1::')!.value, 1n << 112n);
    assert.equal(parseIpAddress('nope'), undefined);
  });

  it('gives a prefix its bounds and refuses host bits or malformed text', () => {
    const p = parseIpPrefix('10.1.0.0/16');
    assert.equal(formatIpAddress({ family: 'ipv4', value: p.first }), '10.1.0.0');
    assert.equal(formatIpAddress({ family: 'ipv4', value: p.last }), '10.1.255.255');
    const v6 = parseIpPrefix('fd00:1::/64');
    assert.equal(formatIpAddress({ family: 'ipv6', value: v6.last }), 'fd00:1::ffff:ffff:ffff:ffff');
    assert.throws(() => parseIpPrefix('10.1.0.5/16'), (err: unknown) => err instanceof NonCanonicalPrefixError && err.canonical === '10.1.0.0/16');
    assert.throws(() => parseIpPrefix('fd00:1::1/64'), (err: unknown) => err instanceof NonCanonicalPrefixError && err.canonical === 'fd00:1::/64');
    assert.throws(() => parseIpPrefix('10.1.0.0'), AddressRangeError);
    assert.throws(() => parseIpPrefix('10.1.0.0/40'), AddressRangeError);
  });

  it('answers overlap and containment within one family only', () => {
    const a = parseIpPrefix('10.0.0.0/16');
    assert.ok(prefixesOverlap(a, parseIpPrefix('10.0.255.0/24')));
    assert.ok(!prefixesOverlap(a, parseIpPrefix('10.1.0.0/16')));
    assert.ok(prefixContainsPrefix(a, parseIpPrefix('10.0.4.0/22')));
    assert.ok(!prefixContainsPrefix(parseIpPrefix('10.0.4.0/22'), a));
    assert.ok(!prefixesOverlap(parseIpPrefix('0.0.0.0/0'), parseIpPrefix('::/0')));
    assert.ok(prefixContainsAddress(a, parseIpAddress('10.0.9.9')!));
    assert.ok(!prefixContainsAddress(a, parseIpAddress('::a00:909')!));
  });

  it('allocates from the fifth address in IPv6 subnets too, skipping taken ones', () => {
    const subnet = { name: 's', prefix: parseIpPrefix('fd00:10:0:1::/64') };
    assert.equal(placePrivateIp(subnet, undefined, new Map()), 'fd00:10:0:1::4');
    assert.equal(placePrivateIp(subnet, undefined, new Map([['fd00:10:0:1::4', 'pe']])), 'fd00:10:0:1::5');
    assert.equal(placePrivateIp(subnet, 'FD00:10:0:1:0:0:0:20', new Map()), 'fd00:10:0:1::20', 'stored in canonical text');
    assert.throws(() => placePrivateIp(subnet, 'fd00:10:0:1::2', new Map()), /reserved IP range/);
    assert.throws(() => placePrivateIp(subnet, 'fd00:10:0:1::20', new Map([['fd00:10:0:1::20', 'pe-x']])), /already allocated to resource pe-x/);
  });
});
