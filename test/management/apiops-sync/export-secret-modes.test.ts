/**
 * An export with secrets is treated like a password file (issue 12 §2): the export folder and
 * every folder above a file holding a secret are 0700, those files 0600, whatever the umask.
 * Without secrets the files keep the usual modes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';

const everyKind = new URL('../../fixtures/apiops/every-kind/', import.meta.url).pathname;
/** The fixture's files that hold a secret: secret named value, subscription keys (user passwords are hashed, never exported). */
const secretFiles = [
  'named values/secret/namedValueInformation.json',
  'subscriptions/s1/subscriptionInformation.json',
  'subscriptions/s2/subscriptionInformation.json',
  'subscriptions/s3/subscriptionInformation.json',
];
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('export modes', () => {
  const box = new SecretBox(randomBytes(32));
  let root: string;
  let store: SqliteEntityStore;
  let umask: number;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'gatehouse-modes-'));
    store = await SqliteEntityStore.open({ dataDir: join(root, 'data') });
    await importFolderToStore(everyKind, store, box, 'importer');
    // The most permissive umask: the modes must not depend on the one the user has.
    umask = process.umask(0);
  });
  after(async () => {
    process.umask(umask);
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('with secrets: the folder and the folders above each secret are 0700, the secret files 0600', async () => {
    const out = join(root, 'with-secrets');
    await exportStoreToFolder(store, box, out, { exportSecrets: true });
    assert.equal(mode(out), '700', 'the export folder');
    for (const file of secretFiles) {
      assert.equal(mode(join(out, file)), '600', file);
      for (let folder = dirname(file); folder !== '.'; folder = dirname(folder)) assert.equal(mode(join(out, folder)), '700', folder);
    }
  });

  it('without secrets: no file is made private', async () => {
    const out = join(root, 'without-secrets');
    await exportStoreToFolder(store, box, out);
    for (const file of secretFiles) assert.equal(mode(join(out, file)), '666', file);
  });
});
