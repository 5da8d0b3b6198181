import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENCRYPTION_KEY_FILE, EncryptionKeyError, loadEncryptionKey, openSecretBox, parseEncryptionKey } from '../../src/store/encryption-key.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-key-'));
let folders = 0;
const freshDir = () => join(root, `data-${++folders}`);

describe('encryption key: environment or key file', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('generates a 32-byte key file (mode 0600) at first start and reads the same key afterwards', async () => {
    const dataDir = freshDir();
    const first = await loadEncryptionKey({ dataDir, env: {} });
    assert.equal(first.source, 'generated');
    assert.equal(first.key.length, 32);
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    assert.equal(first.path, path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(dataDir).mode & 0o077, 0);
    assert.deepEqual(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), first.key);
    const second = await loadEncryptionKey({ dataDir, env: {} });
    assert.equal(second.source, 'file');
    assert.deepEqual(second.key, first.key);
    // Secrets sealed before a restart open after it.
    const sealed = (await openSecretBox({ dataDir, env: {} })).box.seal('kept');
    assert.equal((await openSecretBox({ dataDir, env: {} })).box.open(sealed), 'kept');
  });

  it('makes exactly one key when several starts race for the file', async () => {
    const dataDir = freshDir();
    const loaded = await Promise.all(Array.from({ length: 6 }, () => loadEncryptionKey({ dataDir, env: {} })));
    const keys = new Set(loaded.map((l) => l.key.toString('hex')));
    assert.equal(keys.size, 1);
    assert.equal(loaded.filter((l) => l.source === 'generated').length, 1);
    assert.deepEqual(readFileSync(join(dataDir, ENCRYPTION_KEY_FILE), 'utf8').trim(), loaded[0]!.key.toString('base64'));
  });

  it('refuses a key file others can read, saying how to fix it', async () => {
    const dataDir = freshDir();
    await loadEncryptionKey({ dataDir, env: {} });
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    chmodSync(path, 0o644);
    await assert.rejects(loadEncryptionKey({ dataDir, env: {} }), (error: unknown) => {
      assert.ok(error instanceof EncryptionKeyError);
      assert.match(error.message, /readable by others \(mode 0644\): run chmod 600/);
      return true;
    });
    chmodSync(path, 0o600);
    assert.equal((await loadEncryptionKey({ dataDir, env: {} })).source, 'file');
  });

  it('refuses a damaged key file instead of replacing it (that would lose every sealed secret)', async () => {
    const dataDir = freshDir();
    await loadEncryptionKey({ dataDir, env: {} });
    const path = join(dataDir, ENCRYPTION_KEY_FILE);
    writeFileSync(path, 'not a key\n', { mode: 0o600 });
    await assert.rejects(loadEncryptionKey({ dataDir, env: {} }), /encryption key file .* must hold a 32-byte key/);
    assert.equal(readFileSync(path, 'utf8'), 'not a key\n');
  });

  it('takes GATEHOUSE_ENCRYPTION_KEY over the key file, and creates no file then', async () => {
    const envKey = randomBytes(32);
    const untouched = freshDir();
    const fromEnv = await loadEncryptionKey({ dataDir: untouched, env: { GATEHOUSE_ENCRYPTION_KEY: envKey.toString('base64') } });
    assert.deepEqual(fromEnv, { key: envKey, source: 'environment' });
    assert.equal(existsSync(join(untouched, ENCRYPTION_KEY_FILE)), false);

    const withFile = freshDir();
    const fileKey = (await loadEncryptionKey({ dataDir: withFile, env: {} })).key;
    const winner = await loadEncryptionKey({ dataDir: withFile, env: { GATEHOUSE_ENCRYPTION_KEY: envKey.toString('hex') } });
    assert.equal(winner.source, 'environment');
    assert.deepEqual(winner.key, envKey);
    assert.notDeepEqual(winner.key, fileKey);
    // Sealed with the environment's key, a secret does not open with the file's.
    const envBox = (await openSecretBox({ dataDir: withFile, env: { GATEHOUSE_ENCRYPTION_KEY: envKey.toString('base64url') } })).box;
    const fileBox = (await openSecretBox({ dataDir: withFile, env: {} })).box;
    assert.throws(() => fileBox.open(envBox.seal('s')), /sealed with another encryption key/);
    await assert.rejects(loadEncryptionKey({ dataDir: withFile, env: { GATEHOUSE_ENCRYPTION_KEY: 'too-short' } }), /^EncryptionKeyError: GATEHOUSE_ENCRYPTION_KEY must hold/);
    // An empty variable counts as unset.
    assert.equal((await loadEncryptionKey({ dataDir: withFile, env: { GATEHOUSE_ENCRYPTION_KEY: '  ' } })).source, 'file');
  });

  it('reads the key as hex, base64 or base64url and refuses anything else without echoing it', () => {
    const key = randomBytes(32);
    assert.deepEqual(parseEncryptionKey(key.toString('hex'), 'K'), key);
    assert.deepEqual(parseEncryptionKey(key.toString('hex').toUpperCase(), 'K'), key);
    assert.deepEqual(parseEncryptionKey(key.toString('base64'), 'K'), key);
    assert.deepEqual(parseEncryptionKey(` ${key.toString('base64url')}\n`, 'K'), key);
    const short = randomBytes(16).toString('base64');
    assert.throws(() => parseEncryptionKey(short, 'GATEHOUSE_ENCRYPTION_KEY'), (error: unknown) => {
      assert.ok(error instanceof EncryptionKeyError);
      assert.match(error.message, /^GATEHOUSE_ENCRYPTION_KEY must hold a 32-byte key .* it decodes to 16 bytes$/);
      assert.ok(!error.message.includes(short));
      return true;
    });
    for (const bad of ['correct horse battery staple', key.toString('hex').slice(0, 63) + 'g', '@@@@', key.toString('base64') + 'A']) {
      assert.throws(() => parseEncryptionKey(bad, 'GATEHOUSE_ENCRYPTION_KEY'), (error: unknown) => {
        assert.ok(error instanceof EncryptionKeyError);
        assert.match(error.message, /^GATEHOUSE_ENCRYPTION_KEY must hold a 32-byte key/);
        assert.ok(!error.message.includes(bad));
        return true;
      });
    }
  });
});
