import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>, headers?: Record<string, string>) =>
  h.call('PUT', path, { body: { properties }, headers });
const ifMatchOf = async (h: ManagementHarness, path: string): Promise<Record<string, string>> => ({
  'if-match': (await h.call('GET', path)).headers.get('etag')!,
});

const petstore = `openapi: 3.0.1
info:
  title: Petstore
  description: Pets for everyone
servers:
  - url: https://pets.example.com/v1
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      responses:
        '200':
          description: ok
  /pets/{petId}:
    get:
      operationId: showPetById
      summary: Info for a pet
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
`;

describe('management API: resources', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  describe('service', () => {
    it('answers GET with the service resource and PATCHes publisher settings', async () => {
      const got = await h.call('GET', '');
      assert.equal(got.status, 200);
      assert.equal(got.body.id, servicePath);
      assert.equal(got.body.type, 'Microsoft.ApiManagement/service');
      assert.equal(got.body.name, 'gatehouse');
      assert.equal(got.body.properties.publicNetworkAccess, 'Enabled');
      const patched = await h.call('PATCH', '', {
        body: { properties: { publisherName: 'Contoso', customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'false' } }, tags: { env: 'test' } },
        headers: { 'if-match': '*' },
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.properties.publisherName, 'Contoso');
      const again = await h.call('GET', '');
      assert.equal(again.body.properties.publisherName, 'Contoso');
      assert.equal(again.body.tags.env, 'test');
      assert.equal(again.headers.get('etag'), patched.headers.get('etag'));
      const stale = await h.call('PATCH', '', { body: { properties: { publisherName: 'X' } }, headers: { 'if-match': '"old"' } });
      assert.equal(stale.status, 412);
      const bad = await h.call('PATCH', '', { body: { properties: { publicNetworkAccess: 'Sometimes' } }, headers: { 'if-match': '*' } });
      assert.equal(bad.status, 400);
      // Checked against Azure's ApiManagementServiceUpdateParameters: properties, then tags.
      for (const [body, target] of [
        [{ properties: { publicIpAddressId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/publicIPAddresses/ip' } }, 'publicIpAddressId'],
        [{ properties: { customProperties: { tls: false } } }, 'customProperties.tls'],
        // Switches Azure defines and Gatehouse's GET never shows: refused, not dropped.
        [{ properties: { developerPortalStatus: 'Enabled' } }, 'developerPortalStatus'],
        [{ properties: { enableClientCertificate: true } }, 'enableClientCertificate'],
        [{ properties: { natGatewayState: 'Enabled' } }, 'natGatewayState'],
        [{ properties: { restore: true } }, 'restore'],
        [{ properties: {}, tags: { env: 1 } }, 'tags.env'],
      ] as const) {
        const refused = await h.call('PATCH', '', { body, headers: { 'if-match': '*' } });
        assert.equal(refused.status, 400, refused.text);
        assert.equal(refused.body.error.details[0].target, target, refused.text);
      }
      assert.equal((await h.call('GET', '')).headers.get('etag'), patched.headers.get('etag'), 'a refused PATCH writes nothing');
      assert.equal((await h.call('DELETE', '', { headers: { 'if-match': '*' } })).status, 405);
    });
  });

  describe('apis and operations', () => {
    it('creates an API with Azure defaults, updates, lists and deletes it with its operations', async () => {
      const created = await put(h, 'apis/echo', { displayName: 'Echo', path: 'echo', serviceUrl: 'http://backend.local/api' });
      assert.equal(created.status, 201);
      const p = created.body.properties;
      assert.equal(p.apiRevision, '1');
      assert.equal(p.isCurrent, true);
      assert.equal(p.isOnline, true);
      assert.equal(p.subscriptionRequired, true);
      assert.deepEqual(p.protocols, ['https']);
      assert.deepEqual(p.subscriptionKeyParameterNames, { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' });
      assert.equal(created.body.type, 'Microsoft.ApiManagement/service/apis');
      assert.equal((await put(h, 'apis/nopath', { displayName: 'x' })).body.error.details[0].target, 'path');
      const op = await put(h, 'apis/echo/operations/get-item', { displayName: 'Get item', method: 'get', urlTemplate: '/items/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] });
      assert.equal(op.status, 201);
      assert.equal(op.body.properties.method, 'GET');
      assert.equal(op.body.type, 'Microsoft.ApiManagement/service/apis/operations');
      assert.equal((await put(h, 'apis/echo/operations/bad', { displayName: 'b', method: 'GET', urlTemplate: 'no-slash' })).status, 400);
      assert.equal((await put(h, 'apis/missing/operations/x', { displayName: 'b', method: 'GET', urlTemplate: '/x' })).status, 404);
      const clash = await put(h, 'apis/echo/operations/get-other', { displayName: 'Other', method: 'GET', urlTemplate: '/ITEMS/{key}' });
      assert.equal(clash.status, 409, 'same method and template up to parameter names');
      assert.equal(clash.body.error.code, 'Conflict');
      const samePath = await put(h, 'apis/echo-twin', { displayName: 'Twin', path: '/echo/' });
      assert.equal(samePath.status, 400);
      assert.equal(samePath.body.error.details[0].target, 'path');
      const ops = await h.call('GET', 'apis/echo/operations');
      assert.deepEqual(ops.body.value.map((v: { name: string }) => v.name), ['get-item']);
      const patched = await h.call('PATCH', 'apis/echo', { body: { properties: { displayName: 'Echo 2' } }, headers: await ifMatchOf(h, 'apis/echo') });
      assert.equal(patched.body.properties.displayName, 'Echo 2');
      assert.equal(patched.body.properties.path, 'echo');
      const del = await h.call('DELETE', 'apis/echo', { headers: await ifMatchOf(h, 'apis/echo') });
      assert.equal(del.status, 200);
      assert.equal((await h.call('GET', 'apis/echo/operations/get-item')).status, 404);
      assert.equal((await h.store.all()).filter((e) => e.id.startsWith('apis/echo')).length, 0);
    });

    it('creates revisions from the current one, lists them and releases one', async () => {
      await put(h, 'apis/rev', { displayName: 'Rev', path: 'rev', serviceUrl: 'http://one.local' });
      await put(h, 'apis/rev/operations/op1', { displayName: 'Op 1', method: 'GET', urlTemplate: '/one' });
      await put(h, 'apis/rev/policies/policy', { value: '<policies><inbound><base /></inbound></policies>' });
      const r2 = await put(h, 'apis/rev;rev=2', { sourceApiId: `${servicePath}/apis/rev`, serviceUrl: 'http://two.local', apiRevisionDescription: 'second' });
      assert.equal(r2.status, 201, r2.text);
      assert.equal(r2.body.name, 'rev;rev=2');
      assert.equal(r2.body.properties.apiRevision, '2');
      assert.equal(r2.body.properties.isCurrent, false);
      assert.equal(r2.body.properties.path, 'rev');
      assert.equal((await h.call('GET', 'apis/rev;rev=2/operations/op1')).status, 200, 'operations are copied');
      assert.equal((await h.call('GET', 'apis/rev;rev=2/policies/policy')).status, 200, 'policies are copied');
      assert.equal((await h.call('GET', 'apis/rev;rev=1')).body.properties.serviceUrl, 'http://one.local', ';rev=1 names the current revision');
      const shared = await h.call('PATCH', 'apis/rev;rev=2', { body: { properties: { path: 'other' } }, headers: { 'if-match': '*' } });
      assert.equal(shared.status, 400);
      assert.equal(shared.body.error.details[0].message, "Can't change property for non-current revision");
      assert.equal((await put(h, 'apis/ghost;rev=2', { serviceUrl: 'http://x' })).status, 404);
      const otherPath = await put(h, 'apis/rev;rev=5', { path: 'elsewhere' });
      assert.equal(otherPath.status, 400, 'a new revision keeps the shared properties too');
      const revisions = await h.call('GET', 'apis/rev/revisions');
      assert.deepEqual(revisions.body.value.map((v: { apiRevision: string; isCurrent: boolean }) => [v.apiRevision, v.isCurrent]), [['1', true], ['2', false]]);
      await put(h, 'apis/rev;rev=2/operations/op2', { displayName: 'Op 2', method: 'GET', urlTemplate: '/two' });
      const release = await put(h, 'apis/rev/releases/r1', { apiId: `/apis/rev;rev=2`, notes: 'go' });
      assert.equal(release.status, 201, release.text);
      assert.equal(release.body.properties.notes, 'go');
      const current = await h.call('GET', 'apis/rev');
      assert.equal(current.body.properties.apiRevision, '2');
      assert.equal(current.body.properties.serviceUrl, 'http://two.local');
      assert.equal(current.body.properties.isCurrent, true);
      const old = await h.call('GET', 'apis/rev;rev=1');
      assert.equal(old.body.properties.isCurrent, false);
      assert.equal(old.body.properties.serviceUrl, 'http://one.local');
      assert.deepEqual((await h.call('GET', 'apis/rev/operations')).body.value.map((v: { name: string }) => v.name).sort(), ['op1', 'op2']);
      assert.deepEqual((await h.call('GET', 'apis/rev;rev=1/operations')).body.value.map((v: { name: string }) => v.name), ['op1']);
      assert.equal((await h.call('GET', 'apis/rev/releases/r1')).status, 200);
      const del = await h.call('DELETE', 'apis/rev', { headers: { 'if-match': '*' } });
      assert.equal(del.status, 200);
      assert.equal((await h.store.all()).filter((e) => e.id.startsWith('apis/rev')).length, 0, 'all revisions go with the API');
    });

    it('creates a new version from an existing API in a version set', async () => {
      await put(h, 'apiVersionSets/vs', { displayName: 'Versions', versioningScheme: 'Segment' });
      await put(h, 'apis/v1', { displayName: 'V', path: 'v', apiVersion: 'v1', apiVersionSetId: '/apiVersionSets/vs' });
      await put(h, 'apis/v1/operations/o', { displayName: 'O', method: 'GET', urlTemplate: '/o' });
      const v2 = await put(h, 'apis/v2', { displayName: 'V', path: 'v', apiVersion: 'v2', sourceApiId: `${servicePath}/apis/v1`, apiVersionSetId: `${servicePath}/apiVersionSets/vs` });
      assert.equal(v2.status, 201, v2.text);
      assert.equal(v2.body.properties.apiVersionSetId, `${servicePath}/apiVersionSets/vs`);
      assert.equal(v2.body.properties.apiVersionSet.versioningScheme, 'Segment');
      assert.equal((await h.call('GET', 'apis/v2/operations/o')).status, 200);
      const sameVersion = await put(h, 'apis/v1b', { displayName: 'V', path: 'v', apiVersion: 'V1', apiVersionSetId: '/apiVersionSets/vs' });
      assert.equal(sameVersion.status, 400);
      assert.equal(sameVersion.body.error.details[0].target, 'apiVersion');
      const missingSet = await put(h, 'apis/v3', { displayName: 'V', path: 'v', apiVersion: 'v3', apiVersionSetId: '/apiVersionSets/none' });
      assert.equal(missingSet.status, 400);
      assert.equal(missingSet.body.error.details[0].target, 'apiVersionSetId');
      const inUse = await h.call('DELETE', 'apiVersionSets/vs', { headers: { 'if-match': '*' } });
      assert.equal(inUse.status, 400);
    });

    it('imports an OpenAPI 3 document by value and by link (openapi-link, openapi+json-link)', async () => {
      const byValue = await put(h, 'apis/pets', { format: 'openapi', value: petstore, path: 'pets' });
      assert.equal(byValue.status, 201, byValue.text);
      assert.equal(byValue.body.properties.displayName, 'Petstore');
      assert.equal(byValue.body.properties.serviceUrl, 'https://pets.example.com/v1');
      assert.equal(byValue.body.properties.format, undefined);
      const ops = await h.call('GET', 'apis/pets/operations');
      assert.deepEqual(ops.body.value.map((v: { properties: { urlTemplate: string } }) => v.properties.urlTemplate).sort(), ['/pets', '/pets/{petId}']);
      // The same document as YAML and as JSON, for each link format that names it.
      const server: Server = createServer((req, res) => res.end(req.url === '/petstore.json' ? JSON.stringify(parseYaml(petstore)) : petstore));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        for (const [format, file] of [['openapi-link', 'petstore.yaml'], ['openapi+json-link', 'petstore.json']]) {
          const name = `pets-${format.replace('+', '-')}`;
          const byLink = await put(h, `apis/${name}`, { format, value: `${base}/${file}`, path: name });
          assert.equal(byLink.status, 201, `${format}: ${byLink.text}`);
          assert.equal(byLink.body.properties.displayName, 'Petstore', format);
          assert.equal((await h.call('GET', `apis/${name}/operations`)).body.count, 2, format);
        }
      } finally {
        server.close();
      }
      const broken = await put(h, 'apis/broken', { format: 'openapi', value: 'openapi: 3.0.1\ninfo: [', path: 'broken' });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.details[0].target, 'value');
      assert.equal((await h.call('GET', 'apis/broken')).status, 404);
      assert.equal((await put(h, 'apis/wsdl', { format: 'wsdl', value: '<x/>', path: 'w' })).status, 400);
    });
  });

  describe('named values', () => {
    it('keeps a secret sealed at rest, hides it from GET and returns it from listValue', async () => {
      const created = await put(h, 'namedValues/secret1', { displayName: 'secret-one', value: 'p@ssw0rd-value', secret: true });
      assert.equal(created.status, 201);
      assert.equal(created.body.properties.value, undefined);
      const got = await h.call('GET', 'namedValues/secret1');
      assert.equal(got.body.properties.value, undefined);
      assert.equal(got.body.properties.secret, true);
      const stored = await h.store.get('namedValues/secret1');
      assert.notEqual(stored!.body.value, 'p@ssw0rd-value');
      assert.ok(!JSON.stringify(await h.store.all()).includes('p@ssw0rd-value'), 'no plaintext anywhere in the store');
      assert.equal(h.box.open(String(stored!.body.value)), 'p@ssw0rd-value');
      const listed = await h.call('POST', 'namedValues/secret1/listValue');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body, { value: 'p@ssw0rd-value' });
      const renamed = await h.call('PATCH', 'namedValues/secret1', { body: { properties: { tags: ['a'] } }, headers: { 'if-match': '*' } });
      assert.equal(renamed.status, 200);
      assert.deepEqual((await h.call('POST', 'namedValues/secret1/listValue')).body, { value: 'p@ssw0rd-value' }, 'PATCH keeps the secret');
      const list = await h.call('GET', 'namedValues');
      assert.ok(!list.text.includes('p@ssw0rd-value'));
    });
    it('returns a plain value, refuses duplicate display names and bad names', async () => {
      const plain = await put(h, 'namedValues/plain1', { displayName: 'plain-one', value: 'hello', tags: ['x'] });
      assert.equal(plain.body.properties.value, 'hello');
      const dup = await put(h, 'namedValues/plain2', { displayName: 'PLAIN-one', value: 'x' });
      assert.equal(dup.status, 409);
      const badName = await put(h, 'namedValues/plain3', { displayName: 'has space', value: 'x' });
      assert.equal(badName.status, 400);
      assert.equal(badName.body.error.details[0].target, 'displayName');
      const tooLong = await put(h, 'namedValues/plain4', { displayName: 'long', value: 'x'.repeat(4097) });
      assert.equal(tooLong.status, 400);
      assert.equal((await put(h, 'namedValues/plain5', { displayName: 'novalue' })).status, 400);
    });
  });

  describe('backends and version sets', () => {
    it('validates backends: Single needs a url, pools list existing Single backends', async () => {
      assert.equal((await put(h, 'backends/b1', { url: 'http://b1.local', protocol: 'http' })).status, 201);
      assert.equal((await put(h, 'backends/b2', { url: 'http://b2.local', protocol: 'http', credentials: { header: { 'x-k': ['{{nope}}'] } } })).status, 400);
      assert.equal((await put(h, 'backends/nourl', { protocol: 'http' })).status, 400);
      const pool = await put(h, 'backends/pool', { type: 'Pool', pool: { services: [{ id: `${servicePath}/backends/b1`, priority: 1 }] } });
      assert.equal(pool.status, 201, pool.text);
      const badPool = await put(h, 'backends/pool2', { type: 'Pool', pool: { services: [{ id: '/backends/ghost' }] } });
      assert.equal(badPool.status, 400);
      assert.equal(badPool.body.error.details[0].target, 'pool.services[0].id');
      const breaker = {
        rules: [{ name: 'trip', failureCondition: { count: 3, interval: 'PT1H', statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ['timeout'] }, tripDuration: 'PT1H', acceptRetryAfter: true }],
      };
      assert.equal((await put(h, 'backends/cb', { url: 'http://cb.local', circuitBreaker: breaker })).status, 201);
      const badBreaker = await put(h, 'backends/cb2', { url: 'http://cb.local', circuitBreaker: { rules: [{ name: 'x', tripDuration: '1 hour', failureCondition: { percentage: 150 } }] } });
      assert.equal(badBreaker.status, 400);
      assert.deepEqual(badBreaker.body.error.details.map((d: { target: string }) => d.target).sort(), ['circuitBreaker.rules[0].failureCondition.percentage', 'circuitBreaker.rules[0].tripDuration']);
      // Beyond the shape: the checks the gateway needs to enforce the rule, each naming its property.
      const rule = breaker.rules[0]!;
      const refusals: Array<[unknown, string]> = [
        [{ rules: [{ ...rule, failureCondition: { ...rule.failureCondition, statusCodeRanges: [{ min: 599, max: 500 }] } }] }, 'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]'],
        [{ rules: [{ ...rule, failureCondition: { ...rule.failureCondition, count: 0 } }] }, 'circuitBreaker.rules[0].failureCondition.count'],
        [{ rules: [{ ...rule, failureCondition: { interval: 'PT1M' } }] }, 'circuitBreaker.rules[0].failureCondition'],
        [{ rules: [{ ...rule, tripDuration: undefined }] }, 'circuitBreaker.rules[0].tripDuration'],
        [{ rules: [rule, rule] }, 'circuitBreaker.rules'],
      ];
      for (const [circuitBreaker, target] of refusals) {
        const refused = await put(h, 'backends/cb3', { url: 'http://cb.local', circuitBreaker });
        assert.equal(refused.status, 400, JSON.stringify(circuitBreaker));
        assert.deepEqual(refused.body.error.details.map((d: { target: string }) => d.target), [target]);
      }
      const poolBreaker = await put(h, 'backends/pool4', { type: 'Pool', pool: { services: [{ id: '/backends/b1' }] }, circuitBreaker: breaker });
      assert.equal(poolBreaker.status, 400);
      assert.equal(poolBreaker.body.error.details[0].target, 'circuitBreaker');
      const nested = await put(h, 'backends/pool3', { type: 'Pool', pool: { services: [{ id: '/backends/pool' }] } });
      assert.equal(nested.status, 400);
    });
    it('validates version sets by scheme', async () => {
      assert.equal((await put(h, 'apiVersionSets/q', { displayName: 'Q', versioningScheme: 'Query' })).status, 400);
      assert.equal((await put(h, 'apiVersionSets/q', { displayName: 'Q', versioningScheme: 'query', versionQueryName: 'v' })).body.properties.versioningScheme, 'Query');
      assert.equal((await put(h, 'apiVersionSets/h', { displayName: 'H', versioningScheme: 'Path' })).status, 400);
    });
  });

  describe('products, subscriptions, users and groups', () => {
    it('links APIs and groups to products', async () => {
      await put(h, 'apis/shop', { displayName: 'Shop', path: 'shop' });
      const product = await put(h, 'products/starter', { displayName: 'Starter', state: 'published' });
      assert.equal(product.body.properties.subscriptionRequired, true);
      assert.equal(product.body.properties.state, 'published');
      assert.equal((await put(h, 'products/open', { displayName: 'Open', subscriptionRequired: false, approvalRequired: true })).status, 400);
      const link = await h.call('PUT', 'products/starter/apis/shop');
      assert.equal(link.status, 201);
      assert.equal(link.body.id, `${servicePath}/apis/shop`);
      assert.equal(link.body.properties.path, 'shop');
      assert.equal((await h.call('PUT', 'products/starter/apis/ghost')).status, 404);
      const apis = await h.call('GET', 'products/starter/apis');
      assert.deepEqual(apis.body.value.map((v: { name: string }) => v.name), ['shop']);
      assert.equal((await h.call('PUT', 'products/starter/groups/developers')).status, 201);
      const groups = await h.call('GET', 'products/starter/groups');
      assert.deepEqual(groups.body.value.map((v: { name: string }) => v.name), ['developers']);
      assert.equal((await h.call('DELETE', 'products/starter/apis/shop', { headers: { 'if-match': '*' } })).status, 200);
      assert.equal((await h.call('GET', 'products/starter/apis')).body.count, 0);
      assert.equal((await h.call('GET', 'apis/shop')).status, 200, 'unlinking keeps the API');
    });

    it('creates subscriptions with sealed keys, lists and regenerates secrets', async () => {
      await put(h, 'products/gold', { displayName: 'Gold' });
      await put(h, 'users/alice', { email: 'alice@example.com', firstName: 'Alice', lastName: 'Doe' });
      const sub = await put(h, 'subscriptions/s1', { displayName: 'S1', scope: '/products/gold', ownerId: '/users/alice' });
      assert.equal(sub.status, 201, sub.text);
      assert.equal(sub.body.properties.state, 'submitted');
      assert.equal(sub.body.properties.scope, `${servicePath}/products/gold`);
      assert.equal(sub.body.properties.ownerId, `${servicePath}/users/alice`);
      assert.equal(sub.body.properties.primaryKey, undefined);
      assert.ok(sub.body.properties.createdDate);
      const secrets = await h.call('POST', 'subscriptions/s1/listSecrets');
      assert.match(secrets.body.primaryKey, /^[0-9a-f]{32}$/);
      assert.match(secrets.body.secondaryKey, /^[0-9a-f]{32}$/);
      assert.ok(!JSON.stringify(await h.store.all()).includes(secrets.body.primaryKey), 'keys are sealed at rest');
      const regen = await h.call('POST', 'subscriptions/s1/regeneratePrimaryKey');
      assert.equal(regen.status, 204);
      const after1 = await h.call('POST', 'subscriptions/s1/listSecrets');
      assert.notEqual(after1.body.primaryKey, secrets.body.primaryKey);
      assert.equal(after1.body.secondaryKey, secrets.body.secondaryKey);
      await h.call('POST', 'subscriptions/s1/regenerateSecondaryKey');
      assert.notEqual((await h.call('POST', 'subscriptions/s1/listSecrets')).body.secondaryKey, secrets.body.secondaryKey);
      const given = await put(h, 'subscriptions/s2', { displayName: 'S2', scope: '/apis', primaryKey: 'my-primary-key', state: 'active' });
      assert.equal(given.body.properties.state, 'active');
      assert.equal((await h.call('POST', 'subscriptions/s2/listSecrets')).body.primaryKey, 'my-primary-key');
      const activated = await h.call('PATCH', 'subscriptions/s1', { body: { properties: { state: 'active' } }, headers: { 'if-match': '*' } });
      assert.equal(activated.body.properties.state, 'active');
      assert.equal((await h.call('POST', 'subscriptions/s1/listSecrets')).body.primaryKey, after1.body.primaryKey, 'PATCH keeps keys');
      const all = await put(h, 'subscriptions/master', { displayName: 'All access', scope: servicePath, state: 'active' });
      assert.equal(all.body.properties.scope, servicePath, 'the service itself is the all-access scope');
      assert.equal((await put(h, 'subscriptions/s3', { displayName: 'S3', scope: '' })).status, 400);
      assert.equal((await put(h, 'subscriptions/s3', { displayName: 'S3', scope: '/products/none' })).status, 400);
      assert.equal((await put(h, 'subscriptions/s3', { displayName: 'S3', scope: '/users/alice' })).status, 400);
      assert.equal((await put(h, 'subscriptions/s3', { displayName: 'S3', scope: '/apis', ownerId: '/users/bob' })).status, 400);
      assert.equal((await put(h, 'subscriptions/s3', { displayName: 'S3', scope: '/apis', state: 'paused' })).status, 400);
      const list = await h.call('GET', 'subscriptions');
      assert.ok(!list.text.includes('primaryKey'));
      assert.equal((await h.call('POST', 'subscriptions/ghost/listSecrets')).status, 404);
      assert.equal((await h.call('POST', 'subscriptions/s1/explode')).status, 404);
      const refused = await h.call('DELETE', 'products/gold', { headers: { 'if-match': '*' } });
      assert.equal(refused.status, 409);
      const withSubs = await h.call('DELETE', 'products/gold?deleteSubscriptions=true', { headers: { 'if-match': '*' } });
      assert.equal(withSubs.status, 200);
      assert.equal((await h.call('GET', 'subscriptions/s1')).status, 404);
    });

    it('serves users, built-in and custom groups and group membership', async () => {
      const user = await put(h, 'users/bob', { email: 'bob@example.com', firstName: 'Bob', lastName: 'Roe', password: 'hunter2-secret' });
      assert.equal(user.status, 201);
      assert.equal(user.body.properties.state, 'active');
      assert.ok(user.body.properties.registrationDate);
      assert.equal(user.body.properties.password, undefined);
      assert.ok(!JSON.stringify(await h.store.all()).includes('hunter2-secret'));
      assert.equal((await put(h, 'users/bad', { email: 'not-an-email', firstName: 'a', lastName: 'b' })).status, 400);
      const builtIns = await h.call('GET', 'groups');
      for (const name of ['administrators', 'developers', 'guests']) {
        const g = builtIns.body.value.find((v: { name: string }) => v.name === name);
        assert.ok(g, name);
        assert.equal(g.properties.builtIn, true);
        assert.equal(g.properties.type, 'system');
      }
      assert.equal((await h.call('DELETE', 'groups/administrators', { headers: { 'if-match': '*' } })).status, 400);
      assert.equal((await put(h, 'groups/developers', { displayName: 'Mine now' })).status, 400);
      const custom = await put(h, 'groups/team', { displayName: 'Team' });
      assert.equal(custom.body.properties.type, 'custom');
      assert.equal(custom.body.properties.builtIn, false);
      const member = await h.call('PUT', 'groups/team/users/bob');
      assert.equal(member.status, 201);
      assert.equal(member.body.type, 'Microsoft.ApiManagement/service/groups/users');
      assert.equal(member.body.properties.email, 'bob@example.com');
      const members = await h.call('GET', 'groups/team/users');
      assert.deepEqual(members.body.value.map((v: { name: string }) => v.name), ['bob']);
      const bob = await h.call('GET', 'users/bob');
      assert.deepEqual(bob.body.properties.groups.map((g: { displayName: string }) => g.displayName), ['Team']);
      assert.equal((await h.call('DELETE', 'users/bob', { headers: { 'if-match': '*' } })).status, 200);
      assert.equal((await h.call('GET', 'groups/team/users')).body.count, 0, 'memberships go with the user');
    });
  });
});
