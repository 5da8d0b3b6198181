/**
 * core/pkcs12-work-limit.ts: usual files pass, and a file whose password derivations ask for more
 * than the limit is refused before any of that work, wherever the count sits: the MAC, an
 * encrypted SafeContents, or a key bag hidden inside an encrypted SafeContents.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { checkPkcs12Work, pkcs12IterationLimit, Pkcs12WorkTooLarge } from '../../src/core/pkcs12-work-limit.js';
import { pkcs12PrivateKey } from '../../src/core/pkcs12-private-key.js';
import { packPfx, selfSignedCertificate, type KeyPair } from '../helpers/tls-test-servers.js';
import { certificateBag, encryptedSafe, pfxOf, plainSafe, shroudedKeyBag, withIterations, withMacIterations } from '../helpers/crafted-pkcs12.js';

let pair: KeyPair;
before(async () => {
  pair = await selfSignedCertificate('work-limit', {}, 'rsa');
});

const bytes = (base64: string) => Buffer.from(base64, 'base64');

describe('checkPkcs12Work', () => {
  it('passes files as openssl writes them: default, -legacy, and 65,536 iterations per derivation', () => {
    for (const args of [[], ['-legacy'], ['-iter', '65536']]) {
      assert.doesNotThrow(() => checkPkcs12Work(bytes(packPfx(pair, 'pw', args).pfx), 'pw'), args.join(' '));
    }
  });

  it('refuses a MAC iteration count over the limit, naming the total and the limit', () => {
    const pfx = withMacIterations(bytes(packPfx(pair, 'pw', ['-iter', '65536']).pfx));
    assert.throws(() => checkPkcs12Work(pfx, 'pw'), (err: unknown) => {
      assert.ok(err instanceof Pkcs12WorkTooLarge);
      assert.equal(err.iterations, 0x7fffff);
      assert.match(err.message, new RegExp(`asks for 8388607 password iterations in total, more than the ${pkcs12IterationLimit}`));
      return true;
    });
    // The reader refuses it the same way, before node-forge derives anything.
    assert.throws(() => pkcs12PrivateKey(pfx, 'pw', new X509Certificate(pair.cert)), /asks for 8388607 password iterations/);
  });

  it('adds the counts up: several derivations under the limit each can pass it together', () => {
    const third = Math.floor(pkcs12IterationLimit / 3) + 1;
    const bags = [withIterations(shroudedKeyBag(pair.key, 'pw'), third), withIterations(shroudedKeyBag(pair.key, 'pw'), third), withIterations(shroudedKeyBag(pair.key, 'pw'), third)];
    assert.throws(() => checkPkcs12Work(bytes(pfxOf([plainSafe(bags)])), 'pw'), Pkcs12WorkTooLarge);
    assert.doesNotThrow(() => checkPkcs12Work(bytes(pfxOf([plainSafe(bags.slice(0, 2))])), 'pw'));
  });

  it('sees a key bag inside an encrypted SafeContents, and counts of any length', () => {
    const hidden = (iterations: number) => bytes(pfxOf([encryptedSafe([withIterations(shroudedKeyBag(pair.key, 'pw'), iterations), certificateBag(pair.cert)], 'pw')]));
    assert.throws(() => checkPkcs12Work(hidden(2 ** 31 - 1), 'pw'), /asks for 2147485695 password iterations/);
    assert.throws(() => checkPkcs12Work(hidden(2 ** 60), 'pw'), /more than 2\^53/);
    // The same file with its real count is read: the key comes out of the hidden bag.
    const readable = hidden(2048);
    assert.doesNotThrow(() => checkPkcs12Work(readable, 'pw'));
    assert.equal(pkcs12PrivateKey(readable, 'pw', new X509Certificate(pair.cert)).asymmetricKeyType, 'rsa');
  });

  it('refuses an encrypted SafeContents whose own count is over the limit', () => {
    const safe = (declared?: number) => bytes(pfxOf([encryptedSafe([certificateBag(pair.cert)], 'pw', declared)]));
    assert.doesNotThrow(() => checkPkcs12Work(safe(), 'pw'));
    assert.throws(() => checkPkcs12Work(safe(pkcs12IterationLimit + 1), 'pw'), (err: unknown) => err instanceof Pkcs12WorkTooLarge && err.iterations === pkcs12IterationLimit + 1);
  });

  it('leaves what is not a PKCS#12 file to the reader', () => {
    assert.doesNotThrow(() => checkPkcs12Work(Buffer.from('not a pfx'), 'pw'));
    assert.throws(() => pkcs12PrivateKey(Buffer.from('not a pfx'), 'pw', new X509Certificate(pair.cert)), /the PFX file cannot be read/);
  });
});
