/**
 * A self-hosted gateway's certificate authorities (`gateways/{g}/certificateAuthorities/{c}`)
 * over the real management API: CRUD in Azure's shape, `isTrusted` validated against Azure's
 * definition, the name must be a stored certificate, a certificate a gateway names cannot be
 * deleted, and the authorities go with their gateway.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from './arm-harness.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const etagOf = async (h: ManagementHarness, path: string): Promise<string> => (await h.call('GET', path)).headers.get('etag')!;

describe('gateway certificate authorities', () => {
  let m: ManagementHarness;
  before(async () => {
    m = await startManagement();
    assert.equal((await put(m, 'gateways/edge', { locationData: { name: 'Oslo' } })).status, 201);
    const pfx = packPfx(await selfSignedCertificate('ca.contoso.example'), 'ca-secret');
    assert.equal((await put(m, 'certificates/root-ca', { data: pfx.pfx, password: pfx.password })).status, 201);
  });
  after(() => m.close());

  it('assigns a stored certificate as a CA, in Azure shape, and lists it', async () => {
    const created = await put(m, 'gateways/edge/certificateAuthorities/root-ca', { isTrusted: true });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/gateways/certificateAuthorities');
    assert.equal(created.body.name, 'root-ca');
    assert.match(created.body.id, /\/gateways\/edge\/certificateAuthorities\/root-ca$/);
    assert.deepEqual(created.body.properties, { isTrusted: true });
    assert.equal((await m.call('HEAD', 'gateways/edge/certificateAuthorities/root-ca')).status, 200);
    const list = await m.call('GET', 'gateways/edge/certificateAuthorities');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((c: { name: string; properties: unknown }) => [c.name, c.properties]), [['root-ca', { isTrusted: true }]]);
    const updated = await put(m, 'gateways/edge/certificateAuthorities/root-ca', {});
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.properties, { isTrusted: false }, 'isTrusted defaults to false');
  });

  it("refuses a certificate that does not exist, a bad isTrusted and a gateway that does not exist", async () => {
    const missing = await put(m, 'gateways/edge/certificateAuthorities/nope', { isTrusted: true });
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.body.error.details[0].target, 'name');
    assert.match(missing.body.error.details[0].message, /Certificate 'nope' not found/);
    const bad = await put(m, 'gateways/edge/certificateAuthorities/root-ca', { isTrusted: 'yes' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.details[0].target, 'isTrusted');
    const unknown = await put(m, 'gateways/edge/certificateAuthorities/root-ca', { isTrusted: true, thumbprint: 'x' });
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal((await put(m, 'gateways/nowhere/certificateAuthorities/root-ca', { isTrusted: true })).status, 404);
  });

  it('refuses to delete a certificate a gateway names, until the CA is removed', async () => {
    const refused = await m.call('DELETE', 'certificates/root-ca', { headers: { 'if-match': await etagOf(m, 'certificates/root-ca') } });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.body.error.message, /in use by gateway 'edge'/);
    const removed = await m.call('DELETE', 'gateways/edge/certificateAuthorities/root-ca', { headers: { 'if-match': await etagOf(m, 'gateways/edge/certificateAuthorities/root-ca') } });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await m.call('GET', 'gateways/edge/certificateAuthorities/root-ca')).status, 404);
    // A hostname configuration that presents the certificate also holds it.
    assert.equal((await put(m, 'gateways/edge/hostnameConfigurations/default', { hostname: 'edge.contoso.example', certificateId: '/certificates/root-ca' })).status, 201);
    assert.equal((await m.call('DELETE', 'certificates/root-ca', { headers: { 'if-match': await etagOf(m, 'certificates/root-ca') } })).status, 409);
  });

  it('removes the authorities with their gateway', async () => {
    assert.equal((await put(m, 'gateways/edge/certificateAuthorities/root-ca', { isTrusted: true })).status, 201);
    assert.equal((await m.call('DELETE', 'gateways/edge', { headers: { 'if-match': await etagOf(m, 'gateways/edge') } })).status, 200);
    assert.equal(await m.store.get('gateways/edge/certificateAuthorities/root-ca'), undefined);
    const freed = await m.call('DELETE', 'certificates/root-ca', { headers: { 'if-match': await etagOf(m, 'certificates/root-ca') } });
    assert.equal(freed.status, 200, freed.text);
  });
});
