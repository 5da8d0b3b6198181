import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from '../../src/store/secret-box.js';

const key = randomBytes(32);

/** Flips one bit of the packed bytes at `index` and re-encodes the sealed text. */
function flip(sealed: string, index: number): string {
  const [format, keyId, data] = sealed.split(':');
  const bytes = Buffer.from(data!, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return `${format}:${keyId}:${bytes.toString('base64url')}`;
}

describe('SecretBox (AES-256-GCM at rest)', () => {
  it('round-trips strings, empty and non-ASCII included, and never stores them in the clear', () => {
    const box = new SecretBox(key);
    for (const secret of ['', 'a', 'primary-key-0123456789abcdef', 'ü€😀 multi\nline', 'x'.repeat(10_000)]) {
      const sealed = box.seal(secret);
      assert.match(sealed, /^gh1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
      if (secret.length > 3) assert.ok(!sealed.includes(secret));
      assert.equal(box.open(sealed), secret);
      assert.ok(SecretBox.isSealed(sealed));
    }
    assert.equal(SecretBox.isSealed('plain text'), false);
  });

  it('is real AES-256-GCM: IV (12 bytes), tag (16 bytes) and ciphertext open with Node crypto directly', () => {
    const box = new SecretBox(key);
    const packed = Buffer.from(box.seal('hello').split(':')[2]!, 'base64url');
    assert.equal(packed.length, 12 + 16 + 5);
    const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, 12));
    decipher.setAAD(Buffer.from('gh1\u0000', 'utf8'));
    decipher.setAuthTag(packed.subarray(12, 28));
    assert.equal(Buffer.concat([decipher.update(packed.subarray(28)), decipher.final()]).toString('utf8'), 'hello');
  });

  it('uses a fresh random IV per seal: the same secret seals differently every time', () => {
    const box = new SecretBox(key);
    const seals = new Set(Array.from({ length: 20 }, () => box.seal('same secret')));
    assert.equal(seals.size, 20);
    const ivs = new Set([...seals].map((s) => Buffer.from(s.split(':')[2]!, 'base64url').subarray(0, 12).toString('hex')));
    assert.equal(ivs.size, 20);
  });

  it('detects tampering with the IV, the tag or the ciphertext, and truncation', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('do not touch');
    for (const index of [0, 11, 12, 27, 28, 28 + 11]) {
      assert.throws(() => box.open(flip(sealed, index)), (error: unknown) => {
        assert.ok(error instanceof SecretBoxError);
        assert.match(error.message, /damaged/);
        assert.ok(!error.message.includes('do not touch'));
        return true;
      });
    }
    const data = sealed.split(':')[2]!;
    assert.throws(() => box.open(`gh1:${box.keyId}:${data.slice(0, 20)}`), /damaged/);
    assert.throws(() => box.open(`gh1:${box.keyId}:${data.slice(0, -2)}`), /damaged/);
  });

  it('refuses to open with another key, naming both key ids', () => {
    const sealed = new SecretBox(key).seal('secret');
    const other = new SecretBox(randomBytes(32));
    assert.throws(() => other.open(sealed), (error: unknown) => {
      assert.ok(error instanceof SecretBoxError);
      assert.match(error.message, /sealed with another encryption key/);
      assert.ok(error.message.includes(other.keyId) && error.message.includes(sealed.split(':')[1]!));
      return true;
    });
    // Even a forged key id does not help: authentication still fails.
    const forged = sealed.replace(/^gh1:[0-9a-f]{8}:/, `gh1:${other.keyId}:`);
    assert.throws(() => other.open(forged), /damaged/);
  });

  it('binds the context: a value sealed for one entity does not open for another', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('named value secret', 'namedValues/a');
    assert.equal(box.open(sealed, 'namedValues/a'), 'named value secret');
    assert.throws(() => box.open(sealed, 'namedValues/b'), /another entity/);
    assert.throws(() => box.open(sealed), /another entity/);
  });

  it('refuses text that is not in its format and keys that are not 32 bytes', () => {
    const box = new SecretBox(key);
    for (const text of ['', 'secret', 'gh1:abc', 'gh2:00000000:AAAA', `gh1:${box.keyId}:not base64!`, 'gh1:XYZ:AAAA']) {
      assert.throws(() => box.open(text), /not a sealed secret/);
    }
    assert.throws(() => new SecretBox(randomBytes(16)), /must be 32 bytes, got 16/);
  });
});
