import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { verifyChain } from '../../src/expressions/runtime/x509.js';
import { x509Fixture } from './x509-fixture.js';

const cert = (b64: string): X509Certificate => new X509Certificate(Buffer.from(b64, 'base64'));
const root = cert(x509Fixture.root);
const leaf = cert(x509Fixture.leaf);
const expired = cert(x509Fixture.expired);
const in2024 = Date.UTC(2024, 0, 2);

// The chain check behind VerifyNoRevocation(), with the test root as a trust anchor (the golden
// table covers the real anchors, which the test root is not part of).
describe('X509 chain verification', () => {
  it('accepts a leaf issued by a trusted anchor', () => {
    assert.equal(verifyChain(leaf, [root], in2024), true);
  });
  it('accepts the anchor itself', () => {
    assert.equal(verifyChain(root, [root], in2024), true);
  });
  it('rejects a leaf whose issuer is only an untrusted intermediate candidate', () => {
    assert.equal(verifyChain(leaf, [], in2024, [root]), false);
  });
  it('rejects a leaf outside its validity period', () => {
    assert.equal(verifyChain(leaf, [root], Date.UTC(2033, 5, 2)), false);
    assert.equal(verifyChain(leaf, [root], Date.UTC(2023, 4, 31)), false);
    assert.equal(verifyChain(expired, [root], in2024), false);
    assert.equal(verifyChain(expired, [root], Date.UTC(2020, 5, 1)), false, 'the root was not valid yet in 2020');
  });
  it('rejects a leaf against unrelated anchors (the CA set Node ships)', () => {
    assert.equal(verifyChain(leaf, tls.rootCertificates.map((pem) => new X509Certificate(pem)), in2024), false);
  });
  it('does not treat a non-CA certificate as an issuer', () => {
    assert.equal(verifyChain(expired, [leaf], Date.UTC(2020, 5, 1)), false);
  });
});
