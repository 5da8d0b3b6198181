/**
 * validate-jwt's `<key certificate-id="…"/>` against the `certificates` resource, through the
 * real management API and store: a policy naming a stored certificate is accepted at save time
 * and compiles into the gateway's snapshot; one naming no certificate is Azure's 400.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/gateway/snapshot/build-snapshot.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { policyRegistry } from '../../../src/policies/index.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const policy = (certificateId: string) =>
  `<policies><inbound><validate-jwt header-name="Authorization"><issuer-signing-keys><key certificate-id="${certificateId}" /></issuer-signing-keys></validate-jwt></inbound></policies>`;

describe('management API: validate-jwt certificate-id keys', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  it('accepts a stored certificate by name, refuses an unknown one, and the snapshot compiles', async () => {
    const pfx = packPfx(await selfSignedCertificate('token-issuer'), 'pfx-pass');
    assert.equal((await h.call('PUT', 'certificates/issuer', { body: { properties: { data: pfx.pfx, password: pfx.password } } })).status, 201);
    assert.equal((await h.call('PUT', 'apis/echo', { body: { properties: { displayName: 'echo', path: 'echo', protocols: ['https'] } } })).status, 201);
    const unknown = await h.call('PUT', 'apis/echo/policies/policy', { body: { properties: { format: 'rawxml', value: policy('ghost') } } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.details[0].message, /Certificate with id 'ghost' could not be found\./);
    const saved = await h.call('PUT', 'apis/echo/policies/policy', { body: { properties: { format: 'rawxml', value: policy('Issuer') } } });
    assert.ok(saved.status === 200 || saved.status === 201, saved.text);
    const { config } = await readStoreConfig(h.store, { serviceName: 'gatehouse', sealer: h.box });
    assert.doesNotThrow(() => buildSnapshot(config, { policies: policyRegistry, version: 1 }));
  });
});
