/**
 * Certificates in the APIOps layout (`certificates/<name>/certificateInformation.json`): export
 * writes subject, thumbprint and expiry, plus the PFX and its password only with secrets; import
 * of that folder into an empty store stores the same certificate (before the backends that
 * name it); a folder whose PFX password is wrong is refused naming the file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';
import { packPfx, selfSignedCertificate, type ClientPfx } from '../../helpers/tls-test-servers.js';

const certificateFile = 'certificates/client/certificateInformation.json';

describe('certificates in an APIOps folder', () => {
  const box = new SecretBox(randomBytes(32));
  let root: string;
  let client: ClientPfx;
  let source: string;
  const stores: SqliteEntityStore[] = [];
  const openStore = async (name: string) => {
    const store = await SqliteEntityStore.open({ dataDir: join(root, name) });
    stores.push(store);
    return store;
  };
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'gatehouse-certs-'));
    client = packPfx(await selfSignedCertificate('gatehouse-client'), 'pfx-secret');
    source = join(root, 'source');
    mkdirSync(join(source, 'certificates/client'), { recursive: true });
    mkdirSync(join(source, 'backends/mtls'), { recursive: true });
    writeFileSync(join(source, certificateFile), JSON.stringify({ properties: { data: client.pfx, password: client.password } }));
    writeFileSync(join(source, 'backends/mtls/backendInformation.json'), JSON.stringify({ properties: { url: 'https://127.0.0.1:9', credentials: { certificateIds: ['/certificates/client'] } } }));
  });
  after(async () => {
    for (const s of stores) await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the certificate before the backend that names it, and exports it back', async () => {
    const store = await openStore('first');
    await importFolderToStore(source, store, box, 'importer');
    const stored = await store.get('certificates/client');
    assert.equal(stored?.body.thumbprint, client.thumbprint);
    assert.equal(box.open(String(stored?.body.data)), client.pfx);

    const withSecrets = join(root, 'with-secrets');
    await exportStoreToFolder(store, box, withSecrets, { exportSecrets: true });
    const written = JSON.parse(readFileSync(join(withSecrets, certificateFile), 'utf8')).properties;
    assert.deepEqual({ data: written.data, password: written.password, thumbprint: written.thumbprint, subject: written.subject }, { data: client.pfx, password: client.password, thumbprint: client.thumbprint, subject: 'CN=gatehouse-client' });

    const without = join(root, 'without-secrets');
    const result = await exportStoreToFolder(store, box, without);
    assert.ok(result.omittedSecrets.includes('certificates/client'));
    const bare = JSON.parse(readFileSync(join(without, certificateFile), 'utf8')).properties;
    assert.equal(bare.data, undefined);
    assert.equal(bare.password, undefined);
    assert.equal(bare.thumbprint, client.thumbprint);

    // The exported folder (with secrets) loads into an empty store as the same certificate.
    const second = await openStore('second');
    await importFolderToStore(withSecrets, second, box, 'importer');
    assert.equal((await second.get('certificates/client'))?.body.thumbprint, client.thumbprint);
    assert.ok(await second.get('backends/mtls'));
  });

  it('refuses a folder whose certificate password is wrong, naming the file, and changes nothing', async () => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'certificates/client'), { recursive: true });
    writeFileSync(join(bad, certificateFile), JSON.stringify({ properties: { data: client.pfx, password: 'wrong' } }));
    const store = await openStore('third');
    await assert.rejects(importFolderToStore(bad, store, box, 'importer'), (err: Error) => err.message.includes(certificateFile) && /password/.test(err.message));
    assert.equal(await store.get('certificates/client'), undefined);
  });
});
