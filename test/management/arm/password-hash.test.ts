/**
 * Password hashing (password-hash.ts): scrypt at the documented cost in a self-describing
 * string, verification of the right password only, a stored value that is not a readable hash
 * never verifying, parameters from a tampered store bounded, and the length limit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArmError } from '../../../src/management/arm/arm-error.js';
import { checkPasswordLength, hashPassword, isPasswordHash, maxPasswordBytes, verifyPassword } from '../../../src/management/arm/password-hash.js';

describe('password hashes', () => {
  it('are scrypt N=32768 r=8 p=1 with a 16-byte salt, salted afresh each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    const m = /^scrypt\$32768\$8\$1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(a);
    assert.ok(m, a);
    assert.equal(Buffer.from(m[1]!, 'base64').length, 16);
    assert.equal(Buffer.from(m[2]!, 'base64').length, 32);
    assert.notEqual(a, b);
    assert.ok(isPasswordHash(a));
    assert.ok(!isPasswordHash('v1:sealed-looking'));
  });

  it('verify the right password only', async () => {
    const stored = await hashPassword('correct horse');
    assert.equal(await verifyPassword('correct horse', stored), true);
    assert.equal(await verifyPassword('correct horsf', stored), false);
    assert.equal(await verifyPassword('', stored), false);
    assert.equal(await verifyPassword('Correct horse', stored), false);
  });

  it('never verify against a missing, sealed or tampered value', async () => {
    const stored = await hashPassword('pw');
    const parts = stored.split('$');
    for (const bad of [
      undefined,
      'pw',
      'v1:abc',
      `scrypt$${2 ** 30}$8$1$${parts[4]}$${parts[5]}`,
      `scrypt$1000$8$1$${parts[4]}$${parts[5]}`,
      `scrypt$32768$999$1$${parts[4]}$${parts[5]}`,
      `scrypt$32768$8$1$$${parts[5]}`,
      `scrypt$32768$8$1$${parts[4]}$`,
      `scrypt$32768$8$1$${parts[4]}$${parts[5]}$more`,
    ]) {
      assert.equal(await verifyPassword('pw', bad), false, String(bad));
    }
  });

  it('bound the length of a password to 256 bytes, naming the field', () => {
    assert.equal(maxPasswordBytes, 256);
    checkPasswordLength('x'.repeat(256));
    // 128 two-byte characters are 256 bytes; one more is over.
    checkPasswordLength('é'.repeat(128));
    assert.throws(() => checkPasswordLength('é'.repeat(129)), (err: unknown) => err instanceof ArmError && err.status === 400 && JSON.stringify(err.body()).includes('"target":"password"'));
    assert.throws(() => checkPasswordLength('x'.repeat(257), 'properties.password'), (err: unknown) => err instanceof ArmError && JSON.stringify(err.body()).includes('"target":"properties.password"') && JSON.stringify(err.body()).includes('longer than 256 bytes'));
  });
});
