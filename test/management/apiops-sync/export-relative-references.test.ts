/**
 * Export writes every reference service-relative (docs/import-export.md, "References"), also
 * those an Azure extract holds as full ARM ids of its own service: a pool's member ids, a
 * backend's `certificateIds` and a gateway hostname configuration's `certificateId`. Otherwise a
 * folder extracted from `contoso-apim` would be exported still naming `contoso-apim`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';
import { withFreshStore } from './fresh-store.js';
import { jsonFolders } from './json-folders.js';

const service = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/contoso-apim';
const folder = jsonFolders('gatehouse-relative-refs-');

describe('export of references held as full ARM ids', () => {
  it('writes pool members, certificateIds and a hostname certificateId service-relative', async () => {
    const client = packPfx(await selfSignedCertificate('gatehouse-relative'), 'pfx-secret');
    const source = folder({
      'certificates/client/certificateInformation.json': { properties: { data: client.pfx, password: client.password } },
      'backends/one/backendInformation.json': { properties: { url: 'http://127.0.0.1:9/one', protocol: 'http', credentials: { certificateIds: [`${service}/certificates/client`] } } },
      'backends/two/backendInformation.json': { properties: { url: 'http://127.0.0.1:9/two', protocol: 'http' } },
      'backends/pool/backendInformation.json': {
        properties: { type: 'Pool', pool: { services: [{ id: `${service}/backends/one`, priority: 1, weight: 1 }, { id: `${service}/backends/two`, priority: 2 }] } },
      },
      'gateways/branch/gatewayInformation.json': { properties: { locationData: { name: 'branch' } } },
      'gateways/branch/hostnameConfigurations/api/gatewayHostnameConfigurationInformation.json': {
        properties: { hostname: 'api.branch.example', certificateId: `${service}/certificates/client` },
      },
    });
    const box = new SecretBox(randomBytes(32));
    const out = mkdtempSync(join(tmpdir(), 'gatehouse-relative-out-'));
    try {
      await withFreshStore(async (store) => {
        await importFolderToStore(source, store, box, 'importer');
        await exportStoreToFolder(store, box, join(out, 'export'));
      });
      const read = (path: string) => JSON.parse(readFileSync(join(out, 'export', path), 'utf8')).properties;
      assert.deepEqual(read('backends/pool/backendInformation.json').pool.services, [
        { id: '/backends/one', priority: 1, weight: 1 },
        { id: '/backends/two', priority: 2 },
      ]);
      assert.deepEqual(read('backends/one/backendInformation.json').credentials.certificateIds, ['/certificates/client']);
      assert.equal(read('gateways/branch/hostnameConfigurations/api/gatewayHostnameConfigurationInformation.json').certificateId, '/certificates/client');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
