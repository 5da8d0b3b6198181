/**
 * The APIOps export and import leave the Microsoft.Network entities and the service's private
 * endpoint connections alone: the extractor layout has no place for them (they are Azure
 * networking, not API Management content), so export writes no file for them and a replace
 * import, which removes what the folder lacks, keeps them. The store configuration reader still
 * reads the whole store afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { networkKinds } from '../../../src/management/network/network-ids.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { endpointBody, net, subnetArmId, vnetBody } from './network-harness.js';

const sample = new URL('../../fixtures/apiops/sample/', import.meta.url).pathname;
const networkKindList: string[] = Object.values(networkKinds);

describe('APIOps export and import with network entities in the store', () => {
  let h: ManagementHarness;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-net-apiops-'));
  const networkEntities = async (): Promise<Array<{ kind: string; id: string; etag: string }>> =>
    (await h.store.all()).filter((e) => networkKindList.includes(e.kind)).map((e) => ({ kind: e.kind, id: e.id, etag: e.etag }));

  before(async () => {
    h = await startManagement();
    assert.equal((await h.call('PUT', net('virtualNetworks/hub'), { body: vnetBody(['10.10.0.0/16'], { pe: '10.10.1.0/24' }) })).status, 201);
    assert.equal((await h.call('PUT', net('privateEndpoints/pe'), { body: endpointBody(subnetArmId('hub', 'pe')) })).status, 201);
    assert.equal((await h.call('PUT', 'namedValues/nv', { body: { properties: { displayName: 'nv', value: 'v' } } })).status, 201);
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the API Management content and no network entity', async () => {
    const out = join(dir, 'export');
    const result = await exportStoreToFolder(h.store, h.box, out);
    assert.ok(result.files.some((f) => f.includes('nv')), 'the named value is exported');
    const everything = readdirSync(out, { recursive: true }).map(String);
    assert.deepEqual(everything.filter((f) => /msnetwork|privateEndpoint|virtualNetwork/i.test(f)), []);
  });

  it('keeps network entities through a replace import, and the configuration still reads', async () => {
    const before = await networkEntities();
    assert.deepEqual(before.map((e) => e.kind).sort(), ['privateEndpoint', 'privateEndpointConnection', 'virtualNetwork']);
    await importFolderToStore(sample, h.store, h.box, 'test', { mode: 'replace' });
    assert.deepEqual(await networkEntities(), before);
    const config = (await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box })).config;
    assert.equal(config.network?.privateEndpoints.length, 1);
    assert.ok(!config.namedValues.some((n) => n.name === 'nv'), 'the replace import did remove what the folder lacks');
  });
});
