/**
 * The backend's response headers as policies see them (backend-exchange.ts forwardedHeaders),
 * from undici's raw list of buffers and from Node's latin1 strings (a WebSocket handshake's answer).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forwardedHeaders } from '../../src/gateway/backend-exchange.js';

const asBuffers = (list: string[]): Buffer[] => list.map((item) => Buffer.from(item, 'utf8'));

describe('forwarded response headers', () => {
  it('keeps end-to-end headers in order with the backend spelling, repeated names grouped at the first', () => {
    const headers = forwardedHeaders(asBuffers(['Content-Type', 'text/plain', 'X-Tag', 'a', 'Date', 'Mon, 07 Dec 2026 21:00:00 GMT', 'x-tag', 'b']));
    assert.deepEqual([...headers], [['Content-Type', ['text/plain']], ['X-Tag', ['a', 'b']], ['Date', ['Mon, 07 Dec 2026 21:00:00 GMT']]]);
  });

  it('drops hop-by-hop headers in any case, and the names Connection lists', () => {
    const headers = forwardedHeaders(
      asBuffers(['Connection', 'keep-alive, X-Private', 'KEEP-ALIVE', 'timeout=5', 'x-private', 'secret', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'X-Kept', '1']),
    );
    assert.deepEqual([...headers], [['X-Kept', ['1']]]);
  });

  it('a Connection header listing only hop-by-hop names removes nothing else', () => {
    const headers = forwardedHeaders(asBuffers(['Connection', 'Keep-Alive', 'Keep-Alive', 'timeout=5', 'X-Close', 'no']));
    assert.deepEqual([...headers], [['X-Close', ['no']]]);
  });

  it('a Connection: close drops a header named close, as listed', () => {
    const headers = forwardedHeaders(asBuffers(['Close', 'x', 'Connection', 'close', 'X-Other', 'y']));
    assert.deepEqual([...headers], [['X-Other', ['y']]]);
  });

  it('reads values as UTF-8, from buffers and from latin1 strings alike', () => {
    const fromBuffers = forwardedHeaders(asBuffers(['X-Name', 'café ☃']));
    assert.equal(fromBuffers.get('x-name'), 'café ☃');
    const fromStrings = forwardedHeaders(['X-Name', Buffer.from('café ☃', 'utf8').toString('latin1')]);
    assert.equal(fromStrings.get('x-name'), 'café ☃');
  });
});
