/**
 * The `caches` resource over the real management API (Azure's Cache_* operations, api-version
 * 2024-05-01): its shape, the connection string moved into a secret named value as Azure does
 * (a GET answers `{{name}}`), the 400s for what Azure's definition refuses and for a connection
 * string no Redis client could use, and the external cache the gateway is given.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chosenExternalCache } from '../../../src/main/external-cache.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const azureForm = 'contoso.redis.cache.windows.net:6380,password=s3cret-key=,ssl=True,abortConnect=False';

describe('caches', () => {
  let m: ManagementHarness;
  before(async () => {
    m = await startManagement();
  });
  after(() => m.close());

  const put = (name: string, properties: Record<string, unknown>) => m.call('PUT', `caches/${name}`, { body: { properties } });

  it('creates, reads, lists, updates and deletes a cache; the connection string never comes back', async () => {
    const created = await put('default', { connectionString: azureForm, useFromLocation: 'default', description: 'Redis cache instances', resourceId: 'https://management.azure.com/subscriptions/x/resourceGroups/rg/providers/Microsoft.Cache/redis/contoso' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/caches');
    assert.equal(created.body.name, 'default');
    const reference = created.body.properties.connectionString as string;
    assert.match(reference, /^\{\{Cache-ConnectionString-[0-9a-f]{24}\}\}$/);
    for (const read of [await m.call('GET', 'caches/default'), await m.call('GET', 'caches'), await m.call('GET', 'namedValues')]) {
      assert.equal(read.status, 200);
      assert.ok(!read.text.includes('s3cret'), read.text);
    }
    const named = await m.call('POST', `namedValues/${reference.slice(2, -2)}/listValue`);
    assert.deepEqual(named.body, { value: azureForm });
    const stored = await m.store.get(`namedValues/${reference.slice(2, -2)}`);
    assert.ok(!String(stored!.body.value).includes('s3cret'), 'sealed at rest');
    const patched = await m.call('PATCH', 'caches/default', { body: { properties: { description: 'renamed' } }, headers: { 'if-match': '*' } });
    assert.equal(patched.status, 200, patched.text);
    // An update without the connection string keeps it: the gateway still gets it, opened.
    const config = serviceConfigFromEntities(await m.store.all(), { serviceName: 'gatehouse', sealer: m.box });
    assert.deepEqual(config.caches, [{ name: 'default', connectionString: azureForm, useFromLocation: 'default' }]);
    assert.equal((await m.call('GET', 'caches/default')).body.properties.description, 'renamed');
    // A reference to an existing named value is kept as given; one to a missing named value is refused.
    const byReference = await put('westus', { connectionString: reference, useFromLocation: 'westus' });
    assert.equal(byReference.body.properties.connectionString, reference);
    const dangling = await put('westus', { connectionString: '{{no-such-value}}', useFromLocation: 'westus' });
    assert.equal(dangling.status, 400);
    assert.equal(dangling.body.error.details[0].target, 'connectionString');
    assert.equal((await m.call('DELETE', 'caches/default', { headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await m.call('GET', 'caches/default')).status, 404);
  });

  it("refuses what Azure's definition refuses, and a connection string that is not Redis's", async () => {
    const target = async (properties: Record<string, unknown>) => {
      const reply = await put('westeurope', properties);
      assert.equal(reply.status, 400, reply.text);
      return reply.body.error.details?.[0]?.target ?? reply.body.error.target;
    };
    assert.equal(await target({ useFromLocation: 'default' }), 'connectionString');
    assert.equal(await target({ connectionString: 'redis://127.0.0.1:6379' }), 'useFromLocation');
    assert.equal(await target({ connectionString: 'x'.repeat(301), useFromLocation: 'default' }), 'connectionString');
    assert.equal(await target({ connectionString: 'password=only', useFromLocation: 'default' }), 'connectionString');
    assert.equal(await target({ connectionString: 'redis://127.0.0.1:6379', useFromLocation: 'default', color: 'red' }), 'color');
    assert.equal((await put('a*b', { connectionString: 'redis://127.0.0.1:6379', useFromLocation: 'default' })).status, 400);
  });

  it("the gateway uses the cache whose useFromLocation is 'default'", () => {
    const regional = { name: 'westeurope', connectionString: 'redis://a', useFromLocation: 'westeurope' };
    const fallback = { name: 'default', connectionString: 'redis://b', useFromLocation: 'Default' };
    assert.equal(chosenExternalCache([regional]), undefined);
    assert.equal(chosenExternalCache([regional, fallback]), fallback);
    assert.equal(chosenExternalCache(undefined), undefined);
  });
});
