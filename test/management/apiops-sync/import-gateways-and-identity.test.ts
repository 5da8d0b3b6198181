/**
 * Importing the extractor's gateway and authorization-server layout: `gateways/<g>/apis.json`
 * (`[{ "name": … }]`) and the newer `gateways/<g>/apis/<a>/gatewayApiInformation.json`, revision
 * names reduced to the API, `authorizationServers/<n>/authorizationServerInformation.json`
 * without its secret; refusals name the file and change nothing; a re-import keeps gateway keys
 * and secrets; a replace removes the gateways the folder no longer has.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { withFreshStore } from './fresh-store.js';
import { jsonFolders } from './json-folders.js';
import { exactState } from './stored-state.js';

const box = new SecretBox(randomBytes(32));
/** Writes `files` (relative path → JSON value) into a new folder. */
const folder = jsonFolders('gatehouse-gw-import-');

const extract = {
  'apis/echo-api/apiInformation.json': { properties: { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:9' } },
  'apis/orders/apiInformation.json': { properties: { displayName: 'Orders', path: 'orders' } },
  'gateways/gw1/gatewayInformation.json': { properties: { description: 'branch', locationData: { name: 'Oslo' } } },
  'gateways/gw1/apis.json': [{ name: 'echo-api' }, { name: 'echo-api;rev=1' }],
  'gateways/gw2/gatewayInformation.json': { properties: { locationData: { name: 'Bergen' } } },
  'gateways/gw2/apis/orders/gatewayApiInformation.json': { properties: { provisioningState: 'created' } },
  'authorizationServers/oauth/authorizationServerInformation.json': {
    properties: {
      displayName: 'OAuth',
      clientRegistrationEndpoint: 'https://auth.example/register',
      authorizationEndpoint: 'https://auth.example/authorize',
      grantTypes: ['authorizationCode'],
      clientId: 'c1',
    },
  },
};

describe("importing the extractor's gateways and authorization servers", () => {
  it('stores gateways with keys, their API links from both layouts, and the authorization server', () =>
    withFreshStore(async (store) => {
      const result = await importFolderToStore(folder(extract), store, box, 'importer');
      assert.deepEqual(result.warnings, []);
      assert.deepEqual(result.counts.gateway, { created: 2, updated: 0, unchanged: 0, removed: 0 });
      assert.deepEqual(result.counts.gatewayApi, { created: 2, updated: 0, unchanged: 0, removed: 0 });
      assert.ok(await store.get('gateways/gw1/apis/echo-api'), 'apis.json link, the revision reduced to its API');
      assert.ok(await store.get('gateways/gw2/apis/orders'), 'gatewayApiInformation.json link');
      const gw1 = await store.get('gateways/gw1');
      assert.equal(gw1!.body.description, 'branch');
      assert.equal(box.open(String(gw1!.body.primaryKey)).length, 88, 'a key is made and sealed');
      assert.equal((await store.get('authorizationServers/oauth'))!.body.clientId, 'c1');

      const again = await importFolderToStore(folder(extract), store, box, 'importer');
      assert.deepEqual(again.counts.gateway, { created: 0, updated: 0, unchanged: 2, removed: 0 });
      assert.equal((await store.get('gateways/gw1'))!.body.primaryKey, gw1!.body.primaryKey, 'a re-import keeps the keys');

      const { ['gateways/gw2/gatewayInformation.json']: _gw2, ['gateways/gw2/apis/orders/gatewayApiInformation.json']: _link, ...rest } = extract;
      const replaced = await importFolderToStore(folder(rest), store, box, 'importer', { mode: 'replace' });
      assert.equal(replaced.counts.gateway!.removed, 1);
      assert.equal(await store.get('gateways/gw2'), undefined);
      assert.equal(await store.get('gateways/gw2/apis/orders'), undefined);
    }));

  for (const [label, files, file, reason] of [
    ['a gateway API link to a missing API', { ...extract, 'gateways/gw1/apis.json': [{ name: 'nope' }] }, 'gateways/gw1/apis.json', /Api not found/],
    ['an apis.json that is not a list of names', { ...extract, 'gateways/gw1/apis.json': { name: 'echo-api' } }, 'gateways/gw1/apis.json', /JSON array/],
    ['a gateway without locationData.name', { ...extract, 'gateways/gw1/gatewayInformation.json': { properties: { locationData: {} } } }, 'gateways/gw1/gatewayInformation.json', /locationData\.name/],
    ['an authorization server with an unknown grant type', { ...extract, 'authorizationServers/oauth/authorizationServerInformation.json': { properties: { ...extract['authorizationServers/oauth/authorizationServerInformation.json'].properties, grantTypes: ['magic'] } } }, 'authorizationServers/oauth/authorizationServerInformation.json', /grantTypes/],
    ['an identity provider folder that is not a provider type', { 'identityProviders/github/identityProviderInformation.json': { properties: { clientId: 'c' } } }, 'identityProviders/github/identityProviderInformation.json', /not a valid IdentityProvider identifier/],
  ] as const) {
    it(`refuses ${label}, naming the file, and changes nothing`, () =>
      withFreshStore(async (store) => {
        await importFolderToStore(folder({ 'apis/echo-api/apiInformation.json': extract['apis/echo-api/apiInformation.json'] }), store, box, 'importer');
        const before = await exactState(store);
        await assert.rejects(importFolderToStore(folder(files), store, box, 'importer'), (err: unknown) => {
          assert.ok(err instanceof ConfigFolderError, String(err));
          assert.equal(err.file.replace(/\\/g, '/'), file);
          assert.match(err.message, reason);
          return true;
        });
        assert.deepEqual(await exactState(store), before);
      }));
  }
});
