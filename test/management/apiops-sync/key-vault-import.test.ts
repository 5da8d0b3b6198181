/**
 * Key Vault named values in APIOps folders (issue 14 §4): an import reads the reference through
 * the secret resolver before its transaction and stores the value sealed; one it cannot read is
 * imported with a warning, keeps its last good value and shows the failure in lastStatus; a
 * malformed reference fails the import naming the file; an export writes the reference back in
 * the extractor's shape and never the value, even with secrets exported.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { createSecretResolver } from '../../../src/secrets/secret-resolver.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';

const sample = new URL('../../fixtures/apiops/sample/', import.meta.url).pathname;
const kvFile = 'named values/6282504e4634611254a46fe1/namedValueInformation.json';
const kvId = 'namedValues/6282504e4634611254a46fe1';
// One folder for the whole file, a numbered folder inside it per use.
const root = mkdtempSync(join(tmpdir(), 'gatehouse-kv-import-'));
let made = 0;
const tempDir = (): string => {
  const d = join(root, String(++made));
  mkdirSync(d);
  return d;
};
after(() => rmSync(root, { recursive: true, force: true }));

/** The sample folder with its Key Vault named value pointing at `identifier`. */
function folderWith(identifier: string): string {
  const dir = join(tempDir(), 'folder');
  cpSync(sample, dir, { recursive: true });
  const info = JSON.parse(readFileSync(join(dir, kvFile), 'utf8'));
  info.properties.keyVault = { secretIdentifier: identifier };
  writeFileSync(join(dir, kvFile), JSON.stringify(info, null, 2));
  return dir;
}

describe('importing Key Vault named values', () => {
  const box = new SecretBox(randomBytes(32));
  const env: NodeJS.ProcessEnv = { KV_IMPORT: 'imported-secret' };
  const secrets = createSecretResolver({ env, allowed: { environment: ['KV_*'], fileFolders: [] } });
  const folder = folderWith('env:KV_IMPORT');

  it('reads the secret at import and stores it sealed, with lastStatus Success', async () => {
    const store = await SqliteEntityStore.open({ dataDir: tempDir() });
    try {
      const result = await importFolderToStore(folder, store, box, 'importer', { secrets });
      assert.ok(!result.warnings.some((w) => w.startsWith(kvFile)), result.warnings.join('\n'));
      const stored = (await store.get(kvId))!;
      assert.equal(box.open(String(stored.body.value)), 'imported-secret');
      assert.equal((stored.body.keyVault as { lastStatus: { code: string } }).lastStatus.code, 'Success');
      const config = serviceConfigFromEntities(await store.all(), { serviceName: 'gatehouse', sealer: box });
      assert.equal(config.namedValues.find((n) => n.displayName === 'mysecretvalue')!.value, 'imported-secret');

      const again = await importFolderToStore(folder, store, box, 'importer', { secrets });
      assert.equal(again.counts.namedValue!.updated, 0, 'the same secret again changes nothing');

      delete env.KV_IMPORT;
      const failing = await importFolderToStore(folder, store, box, 'importer', { secrets });
      assert.ok(failing.warnings.some((w) => w.startsWith(`${kvFile}: Key Vault named value`) && w.includes('SecretNotFound')), failing.warnings.join('\n'));
      const kept = (await store.get(kvId))!;
      assert.equal(box.open(String(kept.body.value)), 'imported-secret', 'the last good value stays');
      assert.equal((kept.body.keyVault as { lastStatus: { code: string } }).lastStatus.code, 'SecretNotFound');

      const out = join(tempDir(), 'export');
      await exportStoreToFolder(store, box, out, { exportSecrets: true });
      const exported = JSON.parse(readFileSync(join(out, kvFile), 'utf8'));
      assert.deepEqual(exported.properties.keyVault, { secretIdentifier: 'env:KV_IMPORT' });
      assert.equal(exported.properties.value, undefined, 'never the value');
      assert.equal(exported.properties.secret, true);
      assert.ok(!readFileSync(join(out, kvFile), 'utf8').includes('imported-secret'));
    } finally {
      env.KV_IMPORT = 'imported-secret';
      await store.close();
    }
  });

  it('imports an unreadable one into a new store without a value, with a warning and the failure in lastStatus', async () => {
    const store = await SqliteEntityStore.open({ dataDir: tempDir() });
    try {
      const result = await importFolderToStore(folderWith('env:KV_NEVER_SET'), store, box, 'importer', { secrets });
      assert.ok(result.warnings.some((w) => w.startsWith(`${kvFile}: Key Vault named value`)));
      const stored = (await store.get(kvId))!;
      assert.equal(stored.body.value, undefined);
      assert.equal((stored.body.keyVault as { lastStatus: { code: string } }).lastStatus.code, 'SecretNotFound');
    } finally {
      await store.close();
    }
  });

  it('refuses a reference the operator has not allowed, naming the file and the option, and changes nothing', async () => {
    const store = await SqliteEntityStore.open({ dataDir: tempDir() });
    env.OTHER_SECRET = 'never-imported';
    try {
      for (const identifier of ['env:OTHER_SECRET', `file:${join(root, 'anything')}`]) {
        await assert.rejects(importFolderToStore(folderWith(identifier), store, box, 'importer', { secrets }), (err: unknown) => {
          assert.ok(err instanceof ConfigFolderError, String(err));
          assert.ok(err.message.includes(kvFile), err.message);
          assert.match(err.message, /is not allowed.*--secret-(env|files)/);
          return true;
        });
      }
      assert.equal(await store.version(), 0);
    } finally {
      delete env.OTHER_SECRET;
      await store.close();
    }
  });

  it('refuses a malformed reference, naming the file, and changes nothing', async () => {
    const store = await SqliteEntityStore.open({ dataDir: tempDir() });
    try {
      await assert.rejects(
        importFolderToStore(folderWith('ftp://vault/secrets/x'), store, box, 'importer', { secrets }),
        (err: unknown) => err instanceof ConfigFolderError && err.message.includes(kvFile) && err.message.includes('keyVault.secretIdentifier'),
      );
      assert.equal(await store.version(), 0);
    } finally {
      await store.close();
    }
  });
});
