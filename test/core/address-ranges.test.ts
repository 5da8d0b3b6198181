/**
 * Address ranges for source-network checks and trusted proxies: CIDR prefixes and single
 * addresses of both families, IPv4-mapped IPv6 callers, and the refusals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddressRangeError, AddressRanges, parseAddressRange, unmapped } from '../../src/core/address-ranges.js';

describe('address ranges', () => {
  it('parses prefixes and bare addresses of both families', () => {
    assert.deepEqual(parseAddressRange('10.1.0.0/16'), { address: '10.1.0.0', prefix: 16, family: 'ipv4' });
    assert.deepEqual(parseAddressRange(' 192.0.2.7 '), { address: '192.0.2.7', prefix: 32, family: 'ipv4' });
    assert.deepEqual(parseAddressRange('fd00::/8'), { address: 'fd00::', prefix: 8, family: 'ipv6' });
    assert.deepEqual(parseAddressRange('2001:db8::1'), { address: '2001:db8::1', prefix: 128, family: 'ipv6' });
    assert.deepEqual(parseAddressRange('::ffff:10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseAddressRange('0.0.0.0/0'), { address: '0.0.0.0', prefix: 0, family: 'ipv4' });
    assert.deepEqual(parseAddressRange('::/128'), { address: '::', prefix: 128, family: 'ipv6' });
  });

  it('refuses what is not an address or has a bad prefix, naming the text', () => {
    for (const [text, pattern] of [
      ['', /is not an IP address/],
      ['10.1.0/16', /is not an IP address/],
      ['example.com', /is not an IP address/],
      ['10.0.0.0/33', /invalid prefix length \(0 to 32\)/],
      ['fd00::/129', /invalid prefix length \(0 to 128\)/],
      ['10.0.0.0/', /invalid prefix length/],
      ['10.0.0.0/-1', /invalid prefix length/],
      ['10.0.0.0/1a', /invalid prefix length/],
      ['10.0.0.0/0016', /invalid prefix length/],
    ] as const) {
      assert.throws(() => parseAddressRange(text), (err: unknown) => err instanceof AddressRangeError && pattern.test(err.message) && err.message.includes(`'${text}'`), text);
    }
  });

  it('answers membership at the edges of each range, for mapped callers too', () => {
    const ranges = AddressRanges.parse(['10.1.0.0/16', '192.0.2.7', 'fd00::/120']);
    for (const inside of ['10.1.0.0', '10.1.255.255', '::ffff:10.1.2.3', '::FFFF:10.1.2.3', '192.0.2.7', 'fd00::', 'fd00::ff']) {
      assert.equal(ranges.contains(inside), true, inside);
    }
    for (const outside of ['10.0.255.255', '10.2.0.0', '192.0.2.8', '192.0.2.6', 'fd00::100', '::ffff:10.2.0.0', '::eeee:10.1.2.3', 'not-an-ip', '']) {
      assert.equal(ranges.contains(outside), false, outside);
    }
    assert.equal(ranges.empty, false);
    assert.equal(AddressRanges.parse([]).empty, true);
    assert.equal(AddressRanges.parse([]).contains('10.1.0.1'), false);
  });

  it('unwraps only IPv4-mapped IPv6 addresses', () => {
    assert.equal(unmapped('::ffff:10.1.0.7'), '10.1.0.7');
    assert.equal(unmapped('::FFFF:10.1.0.7'), '10.1.0.7');
    assert.equal(unmapped('::ffff:abcd'), '::ffff:abcd');
    assert.equal(unmapped('::ffff:10.1.0'), '::ffff:10.1.0');
    assert.equal(unmapped('::eeee:10.1.0.7'), '::eeee:10.1.0.7', 'an IPv6 address with other leading bits is not IPv4');
    assert.equal(unmapped('10.1.0.7'), '10.1.0.7');
    assert.equal(unmapped('fd00::1'), 'fd00::1');
  });
});
