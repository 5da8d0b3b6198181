/**
 * The secret sources behind the SecretProvider port: identifier parsing (Azure's Key Vault URL,
 * `env:`, `file:`), Azure's 1-4096 character rule, file reading (one trailing line break
 * removed, size cap, UTF-8 only, regular files only, nothing from the data folder even through
 * a symlink), Gatehouse's own variables kept out, and only the variables and folders the
 * operator allowed read (symlinks may not lead out of an allowed folder).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecretIdentifier } from '../../src/core/secret-identifier.js';
import { SecretResolutionError } from '../../src/core/secret-provider.js';
import { createSecretResolver } from '../../src/secrets/secret-resolver.js';

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    assert.ok(err instanceof SecretResolutionError, String(err));
    return err.code;
  }
};

describe('secret identifiers', () => {
  it('parses Azure Key Vault URLs with and without a version, any https host', () => {
    assert.deepEqual(parseSecretIdentifier('https://contoso.vault.azure.net/secrets/aadSecret'), { scheme: 'keyvault', vaultUrl: 'https://contoso.vault.azure.net', name: 'aadSecret', version: undefined });
    assert.deepEqual(parseSecretIdentifier('https://contoso.vault.azure.cn/secrets/a-b/0123456789abcdef0123456789abcdef'), {
      scheme: 'keyvault',
      vaultUrl: 'https://contoso.vault.azure.cn',
      name: 'a-b',
      version: '0123456789abcdef0123456789abcdef',
    });
    for (const bad of ['http://v.vault.azure.net/secrets/a', 'https://v.vault.azure.net/secrets/', 'https://v.vault.azure.net/certificates/a', 'https://v.vault.azure.net/secrets/a/b/c', 'https://v.vault.azure.net/secrets/a?x=1', 'https://u:p@v.vault.azure.net/secrets/a', 'https://v.vault.azure.net/secrets/a_b', 'not a url']) {
      assert.ok('error' in parseSecretIdentifier(bad), bad);
    }
  });

  it('parses env: and file: references', () => {
    assert.deepEqual(parseSecretIdentifier('env:API_KEY'), { scheme: 'env', variable: 'API_KEY' });
    assert.deepEqual(parseSecretIdentifier('file:/run/secrets/key'), { scheme: 'file', path: '/run/secrets/key' });
    for (const bad of ['env:', 'env:1A', 'env:A B', 'file:', 'file:run/secrets', 'file:/a/../b', 'file:/a\0b']) assert.ok('error' in parseSecretIdentifier(bad), bad);
  });
});

describe('the secret resolver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const env = { PLAIN: 'plain', EMPTY: '', LONG: 'x'.repeat(4097), GATEHOUSE_ENCRYPTION_KEY: 'k', APP_TOKEN: 'app', OTHER: 'other' };
  // The data folder sits inside the allowed one: it must stay refused all the same.
  const resolver = createSecretResolver({ env, deniedFolders: [data], allowed: { environment: ['PLAIN', 'EMPTY', 'LONG', 'MISSING', 'GATEHOUSE_ENCRYPTION_KEY', 'APP_*'], fileFolders: [dir] } });
  const resolve = (identifier: string) => resolver.resolve({ identifier });

  it('reads environment variables, refusing unset, empty, oversized and GATEHOUSE_* ones', async () => {
    assert.equal(await resolve('env:PLAIN'), 'plain');
    assert.equal(await codeOf(resolve('env:MISSING')), 'SecretNotFound');
    assert.equal(await codeOf(resolve('env:EMPTY')), 'InvalidSecret');
    assert.equal(await codeOf(resolve('env:LONG')), 'SecretTooLong');
    assert.equal(await codeOf(resolve('env:GATEHOUSE_ENCRYPTION_KEY')), 'Forbidden');
  });

  it('reads only the variables allowed by name or prefix; nothing without an allow-list', async () => {
    assert.equal(await resolve('env:APP_TOKEN'), 'app');
    assert.equal(await codeOf(resolve('env:OTHER')), 'NotAllowed');
    assert.equal(await codeOf(resolve('env:APP')), 'NotAllowed', 'a prefix entry does not allow the bare prefix');
    assert.equal(await codeOf(resolve('env:PLAINER')), 'NotAllowed', 'a name entry is not a prefix');
    const closed = createSecretResolver({ env });
    assert.equal(await codeOf(closed.resolve({ identifier: 'env:PLAIN' })), 'NotAllowed');
    await assert.rejects(closed.resolve({ identifier: 'env:PLAIN' }), /'env:PLAIN' is not allowed.*--secret-env \(GATEHOUSE_SECRET_ENV\) PLAIN/);
  });

  it('reads only files inside the allowed folders, after symlinks; nothing without an allow-list', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-outside-'));
    writeFileSync(join(outside, 'secret'), 'outside');
    writeFileSync(join(dir, 'inside'), 'inside');
    symlinkSync(join(outside, 'secret'), join(dir, 'link-out'));
    symlinkSync(outside, join(dir, 'folder-out'));
    symlinkSync(join(dir, 'inside'), join(outside, 'link-in'));
    assert.equal(await resolve(`file:${join(dir, 'inside')}`), 'inside');
    assert.equal(await codeOf(resolve(`file:${join(outside, 'secret')}`)), 'NotAllowed');
    assert.equal(await codeOf(resolve(`file:${join(outside, 'missing')}`)), 'NotAllowed', 'outside, existence is not told');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'link-out')}`)), 'NotAllowed');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'folder-out', 'secret')}`)), 'NotAllowed');
    assert.equal(await codeOf(resolve(`file:${join(outside, 'link-in')}`)), 'NotAllowed', 'the path named must be inside too');
    assert.equal(await codeOf(resolve(`file:${dir}-sibling/x`)), 'NotAllowed', 'a folder name is not a string prefix');
    const closed = createSecretResolver({ env });
    assert.equal(await codeOf(closed.resolve({ identifier: `file:${join(dir, 'inside')}` })), 'NotAllowed');
  });

  it('reads files: one trailing line break removed, 4096 characters of multi-byte text accepted', async () => {
    writeFileSync(join(dir, 'plain'), 'no-newline');
    writeFileSync(join(dir, 'wide'), 'é'.repeat(4096) + '\n');
    assert.equal(await resolve(`file:${join(dir, 'plain')}`), 'no-newline');
    assert.equal(await resolve(`file:${join(dir, 'wide')}`), 'é'.repeat(4096));
  });

  it('refuses what is not a readable regular UTF-8 file of the right size', async () => {
    writeFileSync(join(dir, 'binary'), Buffer.from([0xff, 0xfe, 0x00]));
    writeFileSync(join(dir, 'huge'), 'x'.repeat(100_000));
    writeFileSync(join(dir, 'empty'), '\n');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'binary')}`)), 'InvalidSecret');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'huge')}`)), 'SecretTooLong');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'empty')}`)), 'InvalidSecret');
    assert.equal(await codeOf(resolve(`file:${dir}`)), 'SecretNotFound');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'absent')}`)), 'SecretNotFound');
    assert.equal(await codeOf(resolve('file:relative')), 'InvalidSecretIdentifier');
  });

  it('refuses files in the data folder, also through a symlink', async () => {
    writeFileSync(join(data, 'encryption-key'), 'master');
    symlinkSync(join(data, 'encryption-key'), join(dir, 'innocent'));
    assert.equal(await codeOf(resolve(`file:${join(data, 'encryption-key')}`)), 'Forbidden');
    assert.equal(await codeOf(resolve(`file:${join(dir, 'innocent')}`)), 'Forbidden');
  });
});
