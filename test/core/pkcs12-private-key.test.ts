/**
 * core/pkcs12-private-key.ts over PFX files openssl writes here (PBES2/AES-256 by default,
 * `-legacy` RC2/3DES, 3DES for both as Windows exports) and files built with several keys: the key
 * comes out as a Node KeyObject matching its certificate, and each refusal says why.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { pkcs12PrivateKey } from '../../src/core/pkcs12-private-key.js';
import { packPfx, selfSignedCertificate, type KeyPair } from '../helpers/tls-test-servers.js';
import { certificateBag, pfxOf, plainSafe, shroudedKeyBag } from '../helpers/crafted-pkcs12.js';

let rsa: KeyPair;
let other: KeyPair;
before(async () => {
  rsa = await selfSignedCertificate('pfx-reader', {}, 'rsa');
  other = await selfSignedCertificate('pfx-reader-2', {}, 'rsa');
});

const bytes = (base64: string) => Buffer.from(base64, 'base64');
const leafOf = (pem: string) => new X509Certificate(pem);
const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });

describe('pkcs12PrivateKey', () => {
  it('reads the RSA key of files openssl writes, default (PBES2/AES-256), -legacy (RC2/3DES) and 3DES', () => {
    for (const args of [[], ['-legacy'], ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES']]) {
      const pfx = packPfx(rsa, 'pass word', args);
      const key = pkcs12PrivateKey(bytes(pfx.pfx), 'pass word', leafOf(rsa.cert));
      assert.equal(key.type, 'private', args.join(' '));
      assert.equal(key.asymmetricKeyType, 'rsa');
      assert.deepEqual(createPublicKey(key).export({ type: 'spki', format: 'der' }), spki(rsa.cert));
    }
  });

  it('reads legacy files with a non-ASCII password; for AES (PBES2) files the refusal says it needs ASCII', () => {
    const legacy = packPfx(rsa, 'päss', ['-legacy']);
    assert.equal(pkcs12PrivateKey(bytes(legacy.pfx), 'päss', leafOf(rsa.cert)).asymmetricKeyType, 'rsa');
    const aes = packPfx(rsa, 'päss');
    assert.throws(() => pkcs12PrivateKey(bytes(aes.pfx), 'päss', leafOf(rsa.cert)), /not valid for its PFX file \(a PFX encrypted with AES is read only with an ASCII password\)/);
  });

  it('opens a file without a password whether it is given as empty or left out', () => {
    const pfx = packPfx(rsa, '');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), undefined, leafOf(rsa.cert)).asymmetricKeyType, 'rsa');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), '', leafOf(rsa.cert)).asymmetricKeyType, 'rsa');
  });

  it('gives an EC key as it is (the policy decides what it takes)', async () => {
    const ec = packPfx(await selfSignedCertificate('pfx-ec'), 'pw');
    assert.equal(pkcs12PrivateKey(bytes(ec.pfx), 'pw', leafOf(ec.cert)).asymmetricKeyType, 'ec');
  });

  it('refuses a wrong password, also after the right one was read (the cache keys on the password)', () => {
    const pfx = packPfx(rsa, 'right');
    pkcs12PrivateKey(bytes(pfx.pfx), 'right', leafOf(rsa.cert));
    assert.throws(() => pkcs12PrivateKey(bytes(pfx.pfx), 'wrong', leafOf(rsa.cert)), /^Error: the password is not valid for its PFX file$/);
    assert.throws(() => pkcs12PrivateKey(bytes(pfx.pfx), undefined, leafOf(rsa.cert)), /the password is not valid/);
  });

  it('reads each file once: the same file and password give the same key object', () => {
    const pfx = packPfx(rsa, 'cached');
    const first = pkcs12PrivateKey(bytes(pfx.pfx), 'cached', leafOf(rsa.cert));
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), 'cached', leafOf(rsa.cert)), first);
  });

  it('refuses a file without a private key, and damaged data', () => {
    const publicOnly = packPfx(rsa, 'pw', ['-nokeys']);
    assert.throws(() => pkcs12PrivateKey(bytes(publicOnly.pfx), 'pw', leafOf(rsa.cert)), /the PFX file holds no private key/);
    const damaged = bytes(packPfx(rsa, 'pw').pfx).subarray(0, 200);
    assert.throws(() => pkcs12PrivateKey(damaged, 'pw', leafOf(rsa.cert)), /the PFX file cannot be read/);
  });

  it('with several keys, takes the one of the leaf certificate', () => {
    const both = bytes(pfxOf([plainSafe([shroudedKeyBag(rsa.key, 'pw'), shroudedKeyBag(other.key, 'pw'), certificateBag(other.cert), certificateBag(rsa.cert)])]));
    const first = pkcs12PrivateKey(both, 'pw', leafOf(rsa.cert));
    assert.deepEqual(createPublicKey(first).export({ type: 'spki', format: 'der' }), spki(rsa.cert));
    const second = pkcs12PrivateKey(both, 'pw', leafOf(other.cert));
    assert.deepEqual(createPublicKey(second).export({ type: 'spki', format: 'der' }), spki(other.cert));
  });

  it('refuses a file none of whose keys is the leaf certificate\'s, naming its thumbprint', () => {
    const one = bytes(pfxOf([plainSafe([shroudedKeyBag(rsa.key, 'pw'), certificateBag(other.cert)])]));
    const thumbprint = leafOf(other.cert).fingerprint.replace(/:/g, '');
    assert.throws(() => pkcs12PrivateKey(one, 'pw', leafOf(other.cert)), new RegExp(`^Error: the private key in the PFX file is not the key of its certificate ${thumbprint}$`));
    const two = bytes(pfxOf([plainSafe([shroudedKeyBag(rsa.key, 'pw'), shroudedKeyBag(rsa.key, 'pw')])]));
    assert.throws(() => pkcs12PrivateKey(two, 'pw', leafOf(other.cert)), /none of the 2 private keys in the PFX file is the key of its certificate/);
  });
});
