/**
 * The client address table (issue 4 §5): the peer unless it is a trusted proxy; then
 * `X-Forwarded-For` walked from the right over trusted hops; malformed entries stop the walk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddressRanges } from '../../src/core/address-ranges.js';
import { clientAddress } from '../../src/gateway/client-address.js';

const trusted = AddressRanges.parse(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);

const cases: Array<{ name: string; peer: string | undefined; xff: string[]; trusted: AddressRanges | null; client: string }> = [
  { name: 'no proxies configured: the header is ignored', peer: '10.1.1.1', xff: ['203.0.113.5'], trusted: null, client: '10.1.1.1' },
  { name: 'an empty proxy list is no proxies', peer: '10.1.1.1', xff: ['203.0.113.5'], trusted: AddressRanges.parse([]), client: '10.1.1.1' },
  { name: 'IPv4-mapped peer is reported plain', peer: '::ffff:198.51.100.4', xff: [], trusted: null, client: '198.51.100.4' },
  { name: 'untrusted peer: its header is ignored', peer: '198.51.100.4', xff: ['203.0.113.5'], trusted, client: '198.51.100.4' },
  { name: 'trusted peer: the client it forwards', peer: '10.1.1.1', xff: ['203.0.113.5'], trusted, client: '203.0.113.5' },
  { name: 'trusted mapped peer', peer: '::ffff:10.1.1.1', xff: ['203.0.113.5'], trusted, client: '203.0.113.5' },
  { name: 'trusted peer without the header', peer: '10.1.1.1', xff: [], trusted, client: '10.1.1.1' },
  { name: 'chain: the rightmost untrusted entry, not the leftmost (spoofable) one', peer: '10.1.1.1', xff: ['1.1.1.1, 203.0.113.5, 192.0.2.7'], trusted, client: '203.0.113.5' },
  { name: 'chain across repeated headers', peer: '10.1.1.1', xff: ['1.1.1.1, 203.0.113.5', '10.2.2.2'], trusted, client: '203.0.113.5' },
  { name: 'all hops trusted: the leftmost', peer: '10.1.1.1', xff: ['10.9.9.9, 192.0.2.7'], trusted, client: '10.9.9.9' },
  { name: 'malformed entry stops at the last trusted hop', peer: '10.1.1.1', xff: ['203.0.113.5, garbage, 10.2.2.2'], trusted, client: '10.2.2.2' },
  { name: 'malformed rightmost entry: the peer', peer: '10.1.1.1', xff: ['203.0.113.5, unknown'], trusted, client: '10.1.1.1' },
  { name: 'empty entry is malformed', peer: '10.1.1.1', xff: ['203.0.113.5,,'], trusted, client: '10.1.1.1' },
  { name: 'IPv4 with port', peer: '10.1.1.1', xff: ['203.0.113.5:51234'], trusted, client: '203.0.113.5' },
  { name: 'bracketed IPv6 with port', peer: '10.1.1.1', xff: ['[2001:db8::5]:443'], trusted, client: '2001:db8::5' },
  { name: 'plain IPv6 behind a trusted IPv6 proxy', peer: 'fd00::1', xff: ['2001:db8::5'], trusted, client: '2001:db8::5' },
  { name: 'a host name is malformed', peer: '10.1.1.1', xff: ['client.example'], trusted, client: '10.1.1.1' },
  { name: 'no peer address', peer: undefined, xff: ['203.0.113.5'], trusted, client: '' },
];

describe('client address', () => {
  for (const c of cases) {
    it(c.name, () => assert.equal(clientAddress(c.peer, { getAll: () => c.xff }, c.trusted), c.client));
  }
});
