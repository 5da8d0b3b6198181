import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createRelayedClientAddress } from '../../../src/management/arm/relayed-client-address.js';

const request = (headers: Record<string, string>, remoteAddress = '127.0.0.1'): IncomingMessage => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('the client address the developer portal relays', () => {
  it('is taken from the relay headers only with the shared secret', () => {
    const relay = createRelayedClientAddress();
    assert.equal(relay.addressOf(request(relay.headersFor('203.0.113.7'))), '203.0.113.7');
    const other = createRelayedClientAddress();
    assert.equal(relay.addressOf(request(other.headersFor('203.0.113.7'))), '127.0.0.1', 'another secret');
    assert.equal(relay.addressOf(request({ 'x-gatehouse-client-address': '203.0.113.7' })), '127.0.0.1', 'no secret');
    assert.equal(relay.addressOf(request({ ...relay.headersFor('x'.repeat(65)) })), '127.0.0.1', 'an address too long to be one');
  });
});
