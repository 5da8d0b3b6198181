/**
 * The shared token format (signed-token.ts): what gateway and user tokens look like, that only
 * the listed keys verify one (so a regenerated key invalidates its tokens), that expiry is read
 * from the token, and that tampered or malformed tokens are invalid.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { checkToken, generateSigningKey, readToken, signToken } from '../../../src/management/arm/signed-token.js';

const key = generateSigningKey();
const other = generateSigningKey();
const expiry = new Date('2031-04-05T06:07:08.999Z');
const before = new Date('2031-04-05T06:06:59Z');

describe('signed tokens', () => {
  it("have Azure's shape: id, the expiry minute, and base64 HMAC-SHA512 of id and the .NET round-trip expiry", () => {
    const token = signToken('alice', key, expiry);
    const expected = createHmac('sha512', Buffer.from(key, 'utf8')).update('alice\n2031-04-05T06:07:00.0000000Z', 'utf8').digest('base64');
    assert.equal(token, `alice&203104050607&${expected}`);
    assert.equal(Buffer.from(generateSigningKey(), 'base64').length, 64);
    assert.notEqual(generateSigningKey(), generateSigningKey());
  });

  it('verify with any listed key, and with no other', () => {
    const token = signToken('alice', key, expiry);
    assert.deepEqual(checkToken(token, [other, key], before), { valid: true, id: 'alice', expiry: new Date('2031-04-05T06:07:00Z'), expired: false });
    assert.deepEqual(checkToken(token, [other], before), { valid: false });
    assert.deepEqual(checkToken(token, [], before), { valid: false });
  });

  it('report expiry from the minute they carry', () => {
    const token = signToken('alice', key, expiry);
    const check = (at: string) => checkToken(token, [key], new Date(at));
    assert.equal((check('2031-04-05T06:06:59.999Z') as { expired: boolean }).expired, false);
    assert.equal((check('2031-04-05T06:07:00Z') as { expired: boolean }).expired, true);
  });

  it('are read into their parts without a key, for whoever only needs the id and expiry', () => {
    const token = signToken('gw-1', key, expiry);
    assert.deepEqual(readToken(token), { id: 'gw-1', expiry: new Date('2031-04-05T06:07:00Z'), signature: token.split('&')[2] });
    assert.equal(readToken('gw-1&203113050607&abc='), undefined);
  });

  it('are invalid when any part is changed or malformed', () => {
    const token = signToken('alice', key, expiry);
    const [id, minute, signature] = token.split('&') as [string, string, string];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    for (const bad of [
      `bob&${minute}&${signature}`,
      `${id}&203104050608&${signature}`,
      `${id}&${minute}&${flipped}`,
      `${id}&${minute}&${signature.slice(0, -4)}`,
      `${id}&${minute}`,
      `${id}&${minute}&${signature}&extra`,
      `${id}&203113050607&${signature}`,
      `${id}&203104050675&${signature}`,
      `&${minute}&${signature}`,
      '',
      'not a token',
      `${id}&${minute}&${signature} `,
    ]) {
      assert.deepEqual(checkToken(bad, [key], before), { valid: false }, bad);
    }
  });
});
