/**
 * The bytes the caching policies keep (in memory or in a shared Redis, where anything may sit
 * under a key): what was written reads back the same, and bytes it did not write read as a miss,
 * never as a crash.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HeaderMap } from '../../../src/pipeline/header-map.js';
import { MessageBody } from '../../../src/pipeline/message-body.js';
import { cachedResponseOf, decodeCachedResponse, encodeCachedResponse } from '../../../src/policies/caching/cached-response.js';
import { decodeCachedValue, encodeCachedValue } from '../../../src/policies/caching/cached-value.js';

describe('cached responses', () => {
  it('read back as written, without the connection and framing headers', () => {
    const headers = HeaderMap.fromRaw(['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '5', 'Transfer-Encoding', 'chunked', 'Connection', 'keep-alive']);
    const entry = cachedResponseOf({ statusCode: 203, statusReason: 'Partial', headers, body: MessageBody.empty() }, Buffer.from([0, 1, 2, 255]), 1234);
    const back = decodeCachedResponse(encodeCachedResponse(entry));
    assert.deepEqual(back, { statusCode: 203, statusReason: 'Partial', headers: ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'], body: Buffer.from([0, 1, 2, 255]), expiresAt: 1234 });
  });

  it('bytes it did not write are a miss', () => {
    const head = (json: string) => Buffer.concat([Buffer.from([0, 0, 0, Buffer.byteLength(json)]), Buffer.from(json)]);
    for (const bytes of [Buffer.alloc(0), Buffer.from('abc'), Buffer.from([0, 0, 0, 200, 1]), head('{'), head('{"s":"200","r":"","h":[],"e":1}'), head('{"s":200,"r":"","h":["odd"],"e":1}'), head('null')]) {
      assert.equal(decodeCachedResponse(bytes), undefined, bytes.toString('hex'));
    }
    for (let i = 0; i < 200; i++) decodeCachedResponse(randomBytes(i));
  });
});

describe('cached values', () => {
  it('bytes it did not write are a miss', () => {
    for (const text of ['', 'x', 'j{', 'lnot-a-number']) assert.equal(decodeCachedValue(Buffer.from(text)), undefined, text);
    for (let i = 0; i < 200; i++) decodeCachedValue(randomBytes(i));
  });

  it('null and bigint read back with their type', () => {
    assert.deepEqual(decodeCachedValue(encodeCachedValue(null)), { value: null });
    assert.deepEqual(decodeCachedValue(encodeCachedValue(12345678901234567890n)), { value: 12345678901234567890n });
  });
});
