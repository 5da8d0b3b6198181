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
const thumbprintOf = (pem: string) => new X509Certificate(pem).fingerprint.replace(/:/g, '');
const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });

describe('pkcs12PrivateKey', () => {
  it('reads the RSA key of files openssl writes, default (PBES2/AES-256), -legacy (RC2/3DES) and 3DES', () => {
    for (const args of [[], ['-legacy'], ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES']]) {
      const pfx = packPfx(rsa, 'pass word', args);
      const read = pkcs12PrivateKey(bytes(pfx.pfx), 'pass word', pfx.thumbprint);
      assert.equal(read.key.type, 'private', args.join(' '));
      assert.equal(read.key.asymmetricKeyType, 'rsa');
      assert.deepEqual(createPublicKey(read.key).export({ type: 'spki', format: 'der' }), spki(rsa.cert));
      assert.equal(read.certificate.fingerprint.replace(/:/g, ''), pfx.thumbprint);
    }
  });

  it('reads legacy files with a non-ASCII password; for AES (PBES2) files the refusal says it needs ASCII', () => {
    const legacy = packPfx(rsa, 'päss', ['-legacy']);
    assert.equal(pkcs12PrivateKey(bytes(legacy.pfx), 'päss', legacy.thumbprint).key.asymmetricKeyType, 'rsa');
    const aes = packPfx(rsa, 'päss');
    assert.throws(() => pkcs12PrivateKey(bytes(aes.pfx), 'päss', aes.thumbprint), /not valid for its PFX file \(a PFX encrypted with AES is read only with an ASCII password\)/);
  });

  it('takes the thumbprint in any case, and none when the file holds one key', () => {
    const pfx = packPfx(rsa, 'pw');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), 'pw', pfx.thumbprint.toLowerCase()).key.asymmetricKeyType, 'rsa');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), 'pw', '').key.asymmetricKeyType, 'rsa');
  });

  it('opens a file without a password whether it is given as empty or left out', () => {
    const pfx = packPfx(rsa, '');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), undefined, pfx.thumbprint).key.asymmetricKeyType, 'rsa');
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), '', pfx.thumbprint).key.asymmetricKeyType, 'rsa');
  });

  it('gives an EC key as it is (the policy decides what it takes)', async () => {
    const ec = packPfx(await selfSignedCertificate('pfx-ec'), 'pw');
    assert.equal(pkcs12PrivateKey(bytes(ec.pfx), 'pw', ec.thumbprint).key.asymmetricKeyType, 'ec');
  });

  it('refuses a wrong password, also after the right one was read (the cache keys on the password)', () => {
    const pfx = packPfx(rsa, 'right');
    pkcs12PrivateKey(bytes(pfx.pfx), 'right', pfx.thumbprint);
    assert.throws(() => pkcs12PrivateKey(bytes(pfx.pfx), 'wrong', pfx.thumbprint), /^Error: the password is not valid for its PFX file$/);
    assert.throws(() => pkcs12PrivateKey(bytes(pfx.pfx), undefined, pfx.thumbprint), /the password is not valid/);
  });

  it('reads each file once: the same file and password give the same key object', () => {
    const pfx = packPfx(rsa, 'cached');
    const first = pkcs12PrivateKey(bytes(pfx.pfx), 'cached', pfx.thumbprint);
    assert.equal(pkcs12PrivateKey(bytes(pfx.pfx), 'cached', pfx.thumbprint).key, first.key);
  });

  it('refuses a file without a private key, and damaged data', () => {
    const publicOnly = packPfx(rsa, 'pw', ['-nokeys']);
    assert.throws(() => pkcs12PrivateKey(bytes(publicOnly.pfx), 'pw', publicOnly.thumbprint), /the PFX file holds no private key/);
    const damaged = bytes(packPfx(rsa, 'pw').pfx).subarray(0, 200);
    assert.throws(() => pkcs12PrivateKey(damaged, 'pw', ''), /the PFX file cannot be read/);
  });

  it('with several keys, takes the one whose certificate has the thumbprint', () => {
    const both = bytes(pfxOf([plainSafe([shroudedKeyBag(rsa.key, 'pw'), shroudedKeyBag(other.key, 'pw'), certificateBag(other.cert), certificateBag(rsa.cert)])]));
    const first = pkcs12PrivateKey(both, 'pw', thumbprintOf(rsa.cert));
    assert.deepEqual(createPublicKey(first.key).export({ type: 'spki', format: 'der' }), spki(rsa.cert));
    const second = pkcs12PrivateKey(both, 'pw', thumbprintOf(other.cert));
    assert.deepEqual(createPublicKey(second.key).export({ type: 'spki', format: 'der' }), spki(other.cert));
    assert.throws(() => pkcs12PrivateKey(both, 'pw', ''), /holds 2 certificates with private keys and none is named by a thumbprint/);
    assert.throws(() => pkcs12PrivateKey(both, 'pw', '00'.repeat(20)), /no private key in the PFX file belongs to its certificate 0000/);
  });

  it('refuses a key whose certificate is not in the file', () => {
    const stray = bytes(pfxOf([plainSafe([shroudedKeyBag(rsa.key, 'pw'), certificateBag(other.cert)])]));
    assert.throws(() => pkcs12PrivateKey(stray, 'pw', thumbprintOf(other.cert)), /no private key in the PFX file belongs to a certificate in it/);
  });
});
