/**
 * Self-hosted gateway resources over the real management API: CRUD in Azure's shape, keys
 * sealed at rest and never in a GET, listKeys / regenerateKey / generateToken, API links and
 * hostname configurations, and the validation refusals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startManagement, type ManagementHarness } from './arm-harness.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });

describe('gateways', () => {
  let m: ManagementHarness;
  before(async () => {
    m = await startManagement();
    assert.equal((await put(m, 'apis/echo', { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:9' })).status, 201);
  });
  after(() => m.close());

  it('creates, reads, lists and filters gateways in Azure shape; keys never appear', async () => {
    const created = await put(m, 'gateways/gw1', { description: 'my gateway 1', locationData: { name: 'my location', city: 'Oslo' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/gateways');
    assert.equal(created.body.name, 'gw1');
    assert.deepEqual(created.body.properties, { description: 'my gateway 1', locationData: { name: 'my location', city: 'Oslo' } });
    assert.ok(created.headers.get('etag'));
    await put(m, 'gateways/gw2', { locationData: { name: 'elsewhere' } });
    const list = await m.call('GET', 'gateways?$filter=name eq \'gw2\'');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((g: { name: string }) => g.name), ['gw2']);
    const stored = await m.store.get('gateways/gw1');
    assert.equal(typeof stored!.body.primaryKey, 'string');
    assert.notEqual(stored!.body.primaryKey, (await m.call('POST', 'gateways/gw1/listKeys')).body.primary, 'keys are sealed at rest');
    assert.ok(!/primaryKey|secondaryKey/.test((await m.call('GET', 'gateways/gw1')).text));
  });

  it('refuses what Azure refuses', async () => {
    const missingName = await put(m, 'gateways/gw3', { locationData: { city: 'x' } });
    assert.equal(missingName.status, 400);
    assert.equal(missingName.body.error.code, 'ValidationError');
    assert.equal(missingName.body.error.details[0].target, 'locationData.name');
    const long = await put(m, 'gateways/gw3', { locationData: { name: 'x' }, description: 'd'.repeat(1001) });
    assert.equal(long.body.error.details[0].target, 'description');
    const unknown = await put(m, 'gateways/gw3', { locationData: { name: 'x' }, region: 'north' });
    assert.equal(unknown.body.error.details[0].target, 'region');
    const managed = await put(m, 'gateways/Managed', { locationData: { name: 'x' } });
    assert.equal(managed.status, 400);
    assert.equal(managed.body.error.details[0].target, 'name');
    assert.equal((await m.call('GET', 'gateways/gw3')).status, 404);
  });

  it('lists keys, regenerates one of them, and keeps them across an update', async () => {
    const before = (await m.call('POST', 'gateways/gw1/listKeys')).body;
    assert.match(before.primary, /^[A-Za-z0-9+/]{86}==$/);
    assert.notEqual(before.primary, before.secondary);
    const etag = (await m.call('GET', 'gateways/gw1')).headers.get('etag')!;
    assert.equal((await put(m, 'gateways/gw1', { description: 'renamed', locationData: { name: 'my location' } })).status, 200);
    assert.deepEqual((await m.call('POST', 'gateways/gw1/listKeys')).body, before, 'an update keeps the keys');
    const regenerated = await m.call('POST', 'gateways/gw1/regenerateKey', { body: { keyType: 'secondary' } });
    assert.equal(regenerated.status, 204);
    const after = (await m.call('POST', 'gateways/gw1/listKeys')).body;
    assert.equal(after.primary, before.primary);
    assert.notEqual(after.secondary, before.secondary);
    assert.notEqual((await m.call('GET', 'gateways/gw1')).headers.get('etag'), etag);
    const bad = await m.call('POST', 'gateways/gw1/regenerateKey', { body: { keyType: 'tertiary' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].target, 'keyType');
    const missing = await m.call('POST', 'gateways/gw1/regenerateKey', { body: {} });
    assert.equal(missing.body.error.details[0].message, "'keyType' is required.");
  });

  it('generates a token signed with the chosen key over the expiry cut to the minute', async () => {
    const keys = (await m.call('POST', 'gateways/gw1/listKeys')).body;
    const reply = await m.call('POST', 'gateways/gw1/generateToken', { body: { keyType: 'primary', expiry: '2030-04-21T00:44:24.2845269Z' } });
    assert.equal(reply.status, 200, reply.text);
    const [id, minute, signature] = reply.body.value.split('&');
    assert.equal(id, 'gw1');
    assert.equal(minute, '203004210044');
    const expected = createHmac('sha512', Buffer.from(keys.primary, 'utf8')).update('gw1\n2030-04-21T00:44:00.0000000Z').digest('base64');
    assert.equal(signature, expected);
    const secondary = await m.call('POST', 'gateways/gw1/generateToken', { body: { keyType: 'secondary', expiry: '2030-04-21T00:44:24Z' } });
    const bySecondary = createHmac('sha512', Buffer.from(keys.secondary, 'utf8')).update('gw1\n2030-04-21T00:44:00.0000000Z').digest('base64');
    assert.equal(secondary.body.value, `gw1&203004210044&${bySecondary}`, 'the secondary key signs, the expiry cut to the minute');
    const badDate = await m.call('POST', 'gateways/gw1/generateToken', { body: { keyType: 'primary', expiry: 'tomorrow' } });
    assert.equal(badDate.status, 400);
    assert.equal(badDate.body.error.details[0].target, 'expiry');
  });

  it('links APIs: the link answers the API, must name a stored API, and goes with the API', async () => {
    const link = await m.call('PUT', 'gateways/gw1/apis/echo', { body: { properties: { provisioningState: 'created' } } });
    assert.equal(link.status, 201, link.text);
    assert.equal(link.body.type, 'Microsoft.ApiManagement/service/gateways/apis');
    assert.equal(link.body.properties.displayName, 'Echo');
    assert.equal((await m.call('HEAD', 'gateways/gw1/apis/echo')).status, 200, 'GatewayApi_GetEntityTag answers 200 with the ETag');
    assert.equal((await m.call('PUT', 'gateways/gw1/apis/nope', { body: {} })).status, 404);
    assert.equal((await m.call('PUT', 'gateways/missing/apis/echo', { body: {} })).status, 404);
    assert.deepEqual((await m.call('GET', 'gateways/gw1/apis')).body.value.map((a: { name: string }) => a.name), ['echo']);
    await put(m, 'apis/temp', { displayName: 'Temp', path: 'temp' });
    await m.call('PUT', 'gateways/gw2/apis/temp', { body: {} });
    const etag = (await m.call('GET', 'apis/temp')).headers.get('etag')!;
    assert.equal((await m.call('DELETE', 'apis/temp', { headers: { 'if-match': etag } })).status, 200);
    assert.equal(await m.store.get('gateways/gw2/apis/temp'), undefined, 'deleting the API removes its gateway links');
  });

  it('stores hostname configurations and removes them with the gateway', async () => {
    const missing = await put(m, 'gateways/gw2/hostnameConfigurations/default', { hostname: 'api.contoso.com', certificateId: '/certificates/cert1' });
    assert.equal(missing.status, 400, 'a hostname configuration names a stored certificate');
    assert.equal(missing.body.error.details[0].target, 'certificateId');
    const pfx = packPfx(await selfSignedCertificate('api.contoso.com'), 'pfx-secret');
    assert.equal((await put(m, 'certificates/cert1', { data: pfx.pfx, password: pfx.password })).status, 201);
    const hc = await put(m, 'gateways/gw2/hostnameConfigurations/default', {
      hostname: 'api.contoso.com',
      certificateId: '/certificates/cert1',
      negotiateClientCertificate: false,
      tls10Enabled: false,
      tls11Enabled: false,
      http2Enabled: true,
    });
    assert.equal(hc.status, 201, hc.text);
    assert.equal(hc.body.type, 'Microsoft.ApiManagement/service/gateways/hostnameConfigurations');
    assert.equal(hc.body.properties.http2Enabled, true);
    const bad = await put(m, 'gateways/gw2/hostnameConfigurations/x', { http2Enabled: 'yes' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].target, 'http2Enabled');
    assert.equal((await m.call('GET', 'gateways/gw2/hostnameConfigurations')).body.count, 1);
    const etag = (await m.call('GET', 'gateways/gw2')).headers.get('etag')!;
    assert.equal((await m.call('DELETE', 'gateways/gw2', { headers: { 'if-match': etag } })).status, 200);
    assert.equal(await m.store.get('gateways/gw2/hostnameConfigurations/default'), undefined);
  });
});
