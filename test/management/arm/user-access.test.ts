/**
 * User-scoped access to the management API (docs/user-access.md), through the real handler over
 * a real SQLite store: the tenant access resource and user tokens, the SharedAccessSignature
 * scheme (expiry, tampering, regenerated keys, the enabled switch, blocked users), every route of
 * the user table allowed and refused (with path tricks: encoded slashes, `..`, case, trailing
 * slashes), the password sign-in exchange with its limits, and sealed passwords of older stores
 * replaced by hashes before the first answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';
import { userRoutes } from '../../../src/management/arm/user-authorization.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { apiVersion, servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const sas = (token: string) => ({ auth: `SharedAccessSignature ${token}` });
const basic = (email: string, password: string) => ({ auth: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
const names = (reply: { body: { value: Array<{ name: string }> } }): string[] => reply.body.value.map((v) => v.name).sort();

/** A request with its path sent exactly as written (fetch would normalize it first). */
function rawGet(h: ManagementHarness, rawPath: string, auth: string): Promise<{ status: number; body: any }> {
  const url = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${servicePath}${rawPath}${rawPath.includes('?') ? '&' : '?'}api-version=${apiVersion}`, headers: { authorization: auth } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The service as the tests need it: products visible to different groups, APIs in them, users. */
async function populate(h: ManagementHarness): Promise<void> {
  const ok = async (reply: Promise<{ status: number; text: string }>, what: string) => {
    const r = await reply;
    assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${r.text}`);
  };
  for (const api of ['alpha', 'beta', 'gamma', 'delta']) {
    // alpha is imported from a specification, so it can be exported.
    const spec = { openapi: '3.0.1', info: { title: api, version: '1' }, paths: { '/op': { get: { operationId: 'op', responses: { '200': { description: 'OK' } } } } } };
    const imported = api === 'alpha' ? { format: 'openapi+json', value: JSON.stringify(spec) } : {};
    await ok(put(h, `apis/${api}`, { displayName: api, path: api, serviceUrl: 'http://backend.local', protocols: ['https'], ...imported }), api);
    await ok(put(h, `apis/${api}/operations/op`, { displayName: 'op', method: 'GET', urlTemplate: '/op' }), `${api} op`);
    await ok(put(h, `apis/${api}/schemas/s1`, { contentType: 'application/vnd.ms-azure-apim.wadl.grammars+xml', document: { value: '<grammars />' } }), `${api} schema`);
  }
  const product = async (name: string, apis: string[], groups: string[], properties: Record<string, unknown>) => {
    await ok(put(h, `products/${name}`, { displayName: name, subscriptionRequired: true, ...properties }), name);
    for (const a of apis) await ok(h.call('PUT', `products/${name}/apis/${a}`), `${name}/${a}`);
    for (const g of groups) await ok(h.call('PUT', `products/${name}/groups/${g}`), `${name}/${g}`);
  };
  await ok(put(h, 'groups/partners', { displayName: 'Partners' }), 'partners');
  await product('gold', ['alpha'], ['developers'], { state: 'published', approvalRequired: true });
  await product('limited', ['alpha'], ['developers'], { state: 'published', subscriptionsLimit: 1 });
  await product('silver', ['beta'], ['partners'], { state: 'published' });
  await product('hidden', ['gamma'], ['developers'], { state: 'notPublished' });
  await product('guestsonly', ['delta'], ['guests'], { state: 'published' });
  await ok(put(h, 'users/alice', { email: 'alice@example.com', firstName: 'Alice', lastName: 'A', password: 'alice-pw' }), 'alice');
  await ok(put(h, 'users/bob', { email: 'bob@example.com', firstName: 'Bob', lastName: 'B' }), 'bob');
  await ok(put(h, 'users/carol', { email: 'carol@example.com', firstName: 'Carol', lastName: 'C', password: 'carol-pw', state: 'blocked' }), 'carol');
  await ok(h.call('PUT', 'groups/partners/users/bob'), 'bob in partners');
  await ok(put(h, 'subscriptions/bobs', { scope: '/products/gold', displayName: "Bob's", ownerId: '/users/bob', state: 'active' }), 'bobs');
}

describe('user access', () => {
  let h: ManagementHarness;
  let clock = new Date('2030-01-01T00:00:00Z');
  let alice: string;
  let bob: string;
  const far = '2030-06-01T00:00:00Z';
  const tokenFor = async (user: string, keyType = 'primary', expiry = far): Promise<string> => {
    const reply = await h.call('POST', `users/${user}/token`, { body: { properties: { keyType, expiry } } });
    assert.equal(reply.status, 200, reply.text);
    return reply.body.value;
  };

  before(async () => {
    h = await startManagement({ now: () => clock, signInLimiter: new SignInLimiter({ now: () => clock.getTime() }) });
    await populate(h);
    alice = await tokenFor('alice');
    bob = await tokenFor('bob');
  });
  after(() => h.close());

  describe('tenant access and user tokens', () => {
    it("serves tenant/access as Azure's AccessInformationContract, keys only by listSecrets", async () => {
      const got = await h.call('GET', 'tenant/access');
      assert.equal(got.status, 200);
      assert.equal(got.body.name, 'access');
      assert.equal(got.body.type, 'Microsoft.ApiManagement/service/tenant');
      assert.deepEqual(got.body.properties, { id: 'access', principalId: 'integration', enabled: true });
      const secrets = await h.call('POST', 'tenant/access/listSecrets');
      assert.equal(secrets.status, 200);
      assert.equal(Buffer.from(secrets.body.primaryKey, 'base64').length, 64);
      assert.notEqual(secrets.body.primaryKey, secrets.body.secondaryKey);
      assert.equal(secrets.body.enabled, true);
      assert.ok(!JSON.stringify(await h.store.all()).includes(secrets.body.primaryKey), 'sealed at rest');
      assert.equal((await put(h, 'tenant/gitAccess', { enabled: true })).status, 400);
      assert.equal((await h.call('DELETE', 'tenant/access', { headers: { 'if-match': '*' } })).status, 405);
      assert.equal((await h.call('PATCH', 'tenant/access', { body: { properties: { enabled: 'yes' } }, headers: { 'if-match': '*' } })).status, 400);
      assert.equal((await h.call('PATCH', 'tenant/access', { body: { properties: { primaryKey: 'mine' } }, headers: { 'if-match': '*' } })).status, 400);
    });

    it("signs a user's token with the key asked for, and checks the request body", async () => {
      const token = await tokenFor('alice', 'secondary');
      assert.match(token, /^alice&203006010000&[A-Za-z0-9+/]+=*$/);
      assert.equal((await h.call('GET', 'products', sas(token))).status, 200);
      const bad = async (properties: unknown, target: string) => {
        const r = await h.call('POST', 'users/alice/token', { body: properties === undefined ? {} : { properties } });
        assert.equal(r.status, 400, JSON.stringify(properties));
        assert.ok(JSON.stringify(r.body).includes(target), `${r.text} names ${target}`);
      };
      await bad(undefined, 'properties');
      await bad({ keyType: 'tertiary', expiry: far }, 'properties.keyType');
      await bad({ keyType: 'primary' }, 'properties.expiry');
      await bad({ keyType: 'primary', expiry: 'soon' }, 'properties.expiry');
      await bad({ keyType: 'primary', expiry: '2029-12-31T00:00:00Z' }, 'properties.expiry');
      await bad({ keyType: 'primary', expiry: '+010000-01-01T00:00:00Z' }, 'properties.expiry');
      await bad({ keyType: 'primary', expiry: far, scope: 'all' }, 'properties.scope');
      assert.equal((await h.call('POST', 'users/ghost/token', { body: { properties: { keyType: 'primary', expiry: far } } })).status, 404);
    });

    it('refuses expired, tampered, unsigned and unknown tokens with 401, as the admin token is refused', async () => {
      const short = await tokenFor('alice', 'primary', '2030-01-01T01:00:00Z');
      assert.equal((await h.call('GET', 'products', sas(short))).status, 200);
      clock = new Date('2030-01-01T01:00:00Z');
      try {
        const expired = await h.call('GET', 'products', sas(short));
        assert.equal(expired.status, 401);
        assert.equal(expired.body.error.code, 'ExpiredAuthenticationToken');
      } finally {
        clock = new Date('2030-01-01T00:00:00Z');
      }
      const [id, minute, signature] = alice.split('&') as [string, string, string];
      for (const bad of [`bob&${minute}&${signature}`, `${id}&203006010001&${signature}`, `${id}&${minute}&${signature.slice(2)}`, 'garbage', `ghost&${minute}&${signature}`]) {
        const r = await h.call('GET', 'products', sas(bad));
        assert.equal(r.status, 401, bad);
        assert.equal(r.body.error.code, 'InvalidAuthenticationToken');
        assert.ok(r.headers.get('www-authenticate'));
      }
      // An admin token sent under the user scheme is no user token.
      assert.equal((await h.call('GET', 'products', sas('test-admin-token-0123456789'))).status, 401);
      assert.equal((await h.call('GET', 'products', { auth: 'SharedAccessSignature' })).status, 401);
    });

    it("refuses blocked, pending and deleted users' tokens", async () => {
      const carol = await tokenFor('carol');
      assert.equal((await h.call('GET', 'products', sas(carol))).status, 401);
      await put(h, 'users/dave', { email: 'dave@example.com', firstName: 'Dave', lastName: 'D' });
      const dave = await tokenFor('dave');
      assert.equal((await h.call('GET', 'products', sas(dave))).status, 200);
      await h.call('PATCH', 'users/dave', { body: { properties: { state: 'pending' } }, headers: { 'if-match': '*' } });
      assert.equal((await h.call('GET', 'products', sas(dave))).status, 401);
      await h.call('PATCH', 'users/dave', { body: { properties: { state: 'active' } }, headers: { 'if-match': '*' } });
      assert.equal((await h.call('GET', 'products', sas(dave))).status, 200);
      await h.call('DELETE', 'users/dave', { headers: { 'if-match': '*' } });
      assert.equal((await h.call('GET', 'products', sas(dave))).status, 401);
    });

    it('stops accepting tokens signed with a regenerated key, and all tokens while access is disabled', async () => {
      const primary = await tokenFor('alice', 'primary');
      const secondary = await tokenFor('alice', 'secondary');
      assert.equal((await h.call('POST', 'tenant/access/regenerateSecondaryKey')).status, 204);
      assert.equal((await h.call('GET', 'products', sas(secondary))).status, 401);
      assert.equal((await h.call('GET', 'products', sas(primary))).status, 200);
      const disabled = await h.call('PATCH', 'tenant/access', { body: { properties: { enabled: false } }, headers: { 'if-match': '*' } });
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.body.properties.enabled, false);
      assert.equal((await h.call('GET', 'products', sas(primary))).status, 401);
      await h.call('PATCH', 'tenant/access', { body: { properties: { enabled: true } }, headers: { 'if-match': '*' } });
      assert.equal((await h.call('GET', 'products', sas(primary))).status, 200);
    });
  });

  describe('the route table', () => {
    it('lists only the published products visible to one of the user\'s groups', async () => {
      assert.deepEqual(names(await h.call('GET', 'products', sas(alice))), ['gold', 'limited']);
      assert.deepEqual(names(await h.call('GET', 'products', sas(bob))), ['gold', 'limited', 'silver']);
      assert.deepEqual(names(await h.call('GET', 'products')), ['gold', 'guestsonly', 'hidden', 'limited', 'silver'], 'the admin sees all');
      const filtered = await h.call('GET', "products?$filter=name eq 'silver'", sas(alice));
      assert.equal(filtered.body.count, 0);
      const paged = await h.call('GET', 'products?$top=1', sas(alice));
      assert.equal(paged.body.count, 2, 'counts what the user sees');
      assert.deepEqual(names(await h.call('GET', 'apis', sas(alice))), ['alpha']);
      assert.deepEqual(names(await h.call('GET', 'apis', sas(bob))), ['alpha', 'beta']);
    });

    it('answers what the user may not see exactly as what does not exist', async () => {
      const same = async (path: string, missing: string) => {
        const hidden = await h.call('GET', path, sas(alice));
        const absent = await h.call('GET', missing, sas(alice));
        assert.equal(hidden.status, 404, path);
        assert.deepEqual(hidden.body, absent.body, `${path} answers as ${missing}`);
      };
      const pairs: Array<[string, string]> = [
        ['products/silver', 'products/ghost'],
        ['products/hidden', 'products/ghost'],
        ['products/guestsonly', 'products/ghost'],
        ['products/silver/apis', 'products/ghost/apis'],
        ['apis/beta', 'apis/ghost'],
        ['apis/gamma/operations', 'apis/ghost/operations'],
        ['apis/beta/operations/op', 'apis/ghost/operations/op'],
        ['apis/beta/schemas', 'apis/ghost/schemas'],
        ['apis/beta/schemas/s1', 'apis/ghost/schemas/s1'],
        ['apis/beta?export=true&format=openapi%2Bjson', 'apis/ghost?export=true&format=openapi%2Bjson'],
        ['users/bob', 'users/ghost'],
        ['users/bob/subscriptions', 'users/ghost/subscriptions'],
        ['subscriptions/bobs', 'subscriptions/ghost'],
      ];
      for (const [path, missing] of pairs) await same(path, missing);
      assert.equal((await h.call('GET', 'products/silver', sas(bob))).status, 200);
    });

    it('allows every route of the table on what the user may see', async () => {
      for (const path of [
        'products/gold',
        'products/gold/apis',
        'products/gold/apis/alpha',
        'apis/alpha',
        'apis/alpha/operations',
        'apis/alpha/operations/op',
        'apis/alpha/schemas',
        'apis/alpha/schemas/s1',
        'apis/alpha?export=true&format=openapi%2Bjson',
        'users/alice',
        'users/alice/subscriptions',
      ]) {
        const r = await h.call('GET', path, sas(alice));
        assert.equal(r.status, 200, `${path}: ${r.text}`);
      }
      assert.equal((await h.call('HEAD', 'products/gold', sas(alice))).status, 200);
      // The backend address is the operator's: left out of every API a user reads.
      assert.equal((await h.call('GET', 'apis/alpha')).body.properties.serviceUrl, 'http://backend.local');
      const api = await h.call('GET', 'apis/alpha', sas(alice));
      assert.equal(api.body.properties.serviceUrl, undefined);
      assert.equal(api.body.properties.path, 'alpha');
      for (const list of ['apis', 'products/gold/apis']) {
        const items = (await h.call('GET', list, sas(alice))).body.value;
        assert.ok(items.length > 0 && items.every((i: { properties: Record<string, unknown> }) => i.properties.serviceUrl === undefined && i.properties.path === 'alpha'), list);
      }
      assert.equal((await h.call('GET', 'products/gold/apis/alpha', sas(alice))).body.properties.serviceUrl, undefined);
      const self = await h.call('GET', 'users/alice', sas(alice));
      assert.equal(self.body.properties.email, 'alice@example.com');
      assert.equal(self.body.properties.password, undefined);
    });

    it('refuses everything outside the table with 403 AuthorizationFailed', async () => {
      const refused: Array<[string, string, unknown?]> = [
        ['GET', ''],
        ['GET', 'namedValues'],
        ['GET', 'subscriptions'],
        ['GET', 'users'],
        ['GET', 'groups'],
        ['GET', 'groups/developers'],
        ['GET', 'products/gold/groups'],
        ['GET', 'products/gold/policies'],
        ['GET', 'apis/alpha/policies'],
        ['GET', 'apis/alpha/revisions'],
        ['GET', 'apis/alpha/releases'],
        ['GET', 'tenant/access'],
        ['GET', 'users/alice/groups'],
        ['GET', 'users/alice/identities'],
        ['POST', 'tenant/access/listSecrets'],
        ['POST', 'users/alice/token', { properties: { keyType: 'primary', expiry: far } }],
        ['PUT', 'apis/alpha', { properties: { displayName: 'x', path: 'x', serviceUrl: 'http://x' } }],
        ['PUT', 'products/gold/groups/partners'],
        ['PUT', 'groups/partners/users/alice'],
        ['PUT', 'users/alice', { properties: { email: 'a@b.c', firstName: 'a', lastName: 'b' } }],
        ['DELETE', 'products/gold'],
        ['DELETE', 'subscriptions/bobs'],
        ['DELETE', 'users/alice'],
        ['POST', 'gateways/g1/listDebugCredentials', {}],
        ['GET', 'privateEndpointConnections'],
      ];
      for (const [method, path, body] of refused) {
        const r = await h.call(method, path, { ...sas(alice), body, headers: { 'if-match': '*' } });
        assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
        assert.equal(r.body.error.code, 'AuthorizationFailed');
      }
      const network = await h.call('GET', '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/privateEndpoints/pe1', sas(alice));
      assert.equal(network.status, 403);
      assert.deepEqual(names(await h.call('GET', 'products')), ['gold', 'guestsonly', 'hidden', 'limited', 'silver'], 'nothing was changed');
    });

    it('sees through path tricks: encoded slashes, dot segments, case and trailing slashes', async () => {
      const auth = `SharedAccessSignature ${alice}`;
      const expect = async (raw: string, status: number) => assert.equal((await rawGet(h, raw, auth)).status, status, raw);
      await expect('/apis/alpha%2Foperations', 400);
      await expect('/apis/beta%2F..%2Falpha', 400);
      await expect('/products/silver/../gold', 200);
      await expect('/products/gold/../silver', 404);
      await expect('/apis/alpha/%2e%2e/beta', 404);
      await expect('/apis/alpha/%2E%2E/%2e%2E/namedValues', 403);
      await expect('/products/gold/../../namedValues', 403);
      await expect('/PRODUCTS/GOLD', 200);
      await expect('/Products/Silver', 404);
      await expect('/USERS/ALICE', 200);
      await expect('/Users/Bob', 404);
      await expect('/NAMEDVALUES', 403);
      await expect('/products/gold/', 200);
      await expect('/products/silver/', 404);
      await expect('/namedValues/', 403);
      await expect('/products//silver', 404);
      await expect('/apis/alpha;rev=1', 404);
    });

    it('lets a user change their first and last name and password, nothing else', async () => {
      const patch = (user: string, properties: Record<string, unknown>) => h.call('PATCH', `users/${user}`, { ...sas(alice), body: { properties }, headers: { 'if-match': '*' } });
      const renamed = await patch('alice', { firstName: 'Alicia', lastName: 'Z' });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.properties.firstName, 'Alicia');
      for (const properties of [{ email: 'evil@example.com' }, { state: 'active' }, { note: 'x' }, { identities: [] }, { firstName: 'A', email: 'evil@example.com' }]) {
        const r = await patch('alice', properties);
        assert.equal(r.status, 403, JSON.stringify(properties));
        assert.equal(r.body.error.code, 'AuthorizationFailed');
      }
      assert.equal((await patch('bob', { firstName: 'Mallory' })).status, 404);
      assert.equal((await h.call('GET', 'users/bob')).body.properties.firstName, 'Bob');
      const tooLong = await patch('alice', { password: 'x'.repeat(257) });
      assert.equal(tooLong.status, 400);
      assert.ok(tooLong.text.includes('password'));
    });
  });

  describe('subscriptions', () => {
    const subscribe = (token: string, sid: string, properties: Record<string, unknown>) => h.call('PUT', `subscriptions/${sid}`, { ...sas(token), body: { properties } });

    it('creates a subscription owned by the user: submitted where approval is required, else active', async () => {
      const gold = await subscribe(alice, 'a-gold', { scope: '/products/gold', displayName: 'Mine' });
      assert.equal(gold.status, 201, gold.text);
      assert.equal(gold.body.properties.state, 'submitted');
      assert.match(gold.body.properties.ownerId, /\/users\/alice$/);
      assert.equal(gold.body.properties.primaryKey, undefined);
      const limited = await subscribe(alice, 'a-limited', { scope: `${servicePath}/products/limited`, displayName: 'Mine too', ownerId: '/users/alice' });
      assert.equal(limited.status, 201, limited.text);
      assert.equal(limited.body.properties.state, 'active');
      assert.deepEqual(names(await h.call('GET', 'users/alice/subscriptions', sas(alice))), ['a-gold', 'a-limited']);
      assert.equal((await h.call('GET', 'subscriptions/a-gold', sas(alice))).status, 200);
    });

    it("respects the product's subscriptionsLimit per user, counting live subscriptions", async () => {
      const over = await subscribe(alice, 'a-limited-2', { scope: '/products/limited', displayName: 'One more' });
      assert.equal(over.status, 409, over.text);
      assert.match(over.body.error.message, /subscriptions limit/);
      assert.equal((await h.call('GET', 'subscriptions/a-limited-2')).status, 404, 'nothing written');
      // Another user has their own count.
      assert.equal((await subscribe(bob, 'b-limited', { scope: '/products/limited', displayName: 'Bob' })).status, 201);
    });

    it('refuses what a user may not ask for', async () => {
      const refusedWith = async (sid: string, properties: Record<string, unknown>, status: number) => {
        const r = await subscribe(alice, sid, properties);
        assert.equal(r.status, status, `${JSON.stringify(properties)}: ${r.text}`);
        return r;
      };
      const invisible = await refusedWith('x1', { scope: '/products/silver', displayName: 'x' }, 400);
      const missing = await refusedWith('x1', { scope: '/products/ghost', displayName: 'x' }, 400);
      assert.deepEqual(invisible.body.error.details[0].message.replace('silver', 'P'), missing.body.error.details[0].message.replace('ghost', 'P'));
      await refusedWith('x1', { scope: '/products/hidden', displayName: 'x' }, 400);
      await refusedWith('x1', { scope: '/products/gold', displayName: 'x', state: 'active' }, 403);
      await refusedWith('x1', { scope: '/products/gold', displayName: 'x', primaryKey: 'chosen-key-0123456789' }, 403);
      await refusedWith('x1', { scope: '/products/gold', displayName: 'x', allowTracing: true }, 403);
      await refusedWith('x1', { scope: '/products/gold', displayName: 'x', ownerId: '/users/bob' }, 403);
      await refusedWith('x1', { scope: '/apis/alpha', displayName: 'x' }, 403);
      await refusedWith('x1', { scope: '/apis', displayName: 'x' }, 403);
      await refusedWith('x1', { scope: servicePath, displayName: 'x' }, 403);
      await refusedWith('a-gold', { scope: '/products/gold', displayName: 'again' }, 409);
      await refusedWith('bobs', { scope: '/products/gold', displayName: 'taken' }, 409);
      assert.equal((await h.call('GET', 'subscriptions/x1')).status, 404, 'nothing written');
      assert.match((await h.call('GET', 'subscriptions/bobs')).body.properties.ownerId, /\/users\/bob$/);
    });

    it("lists and regenerates the user's own keys only, and lets them cancel, nothing else", async () => {
      const secrets = await h.call('POST', 'subscriptions/a-limited/listSecrets', sas(alice));
      assert.equal(secrets.status, 200);
      assert.ok(secrets.body.primaryKey);
      assert.equal((await h.call('POST', 'subscriptions/a-limited/regeneratePrimaryKey', sas(alice))).status, 204);
      const after = await h.call('POST', 'subscriptions/a-limited/listSecrets', sas(alice));
      assert.notEqual(after.body.primaryKey, secrets.body.primaryKey);
      assert.equal(after.body.secondaryKey, secrets.body.secondaryKey);
      assert.equal((await h.call('POST', 'subscriptions/a-limited/regenerateSecondaryKey', sas(alice))).status, 204);
      for (const action of ['listSecrets', 'regeneratePrimaryKey', 'regenerateSecondaryKey']) {
        const other = await h.call('POST', `subscriptions/bobs/${action}`, sas(alice));
        const ghost = await h.call('POST', `subscriptions/ghost/${action}`, sas(alice));
        assert.equal(other.status, 404, action);
        assert.deepEqual(other.body, ghost.body);
      }
      const state = (sid: string, value: string) => h.call('PATCH', `subscriptions/${sid}`, { ...sas(alice), body: { properties: { state: value } }, headers: { 'if-match': '*' } });
      assert.equal((await state('a-gold', 'active')).status, 403, 'a user cannot approve their own');
      assert.equal((await state('a-gold', 'suspended')).status, 403);
      assert.equal((await h.call('PATCH', 'subscriptions/a-gold', { ...sas(alice), body: { properties: { displayName: 'renamed' } }, headers: { 'if-match': '*' } })).status, 403);
      assert.equal((await state('bobs', 'cancelled')).status, 404);
      assert.equal((await h.call('GET', 'subscriptions/bobs')).body.properties.state, 'active');
      const cancelled = await state('a-limited', 'cancelled');
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.properties.state, 'cancelled');
      // A cancelled subscription no longer counts against the limit.
      assert.equal((await subscribe(alice, 'a-limited-3', { scope: '/products/limited', displayName: 'Again' })).status, 201);
    });
  });

  describe('the sign-in exchange', () => {
    const identity = (auth: { auth: string }) => h.call('GET', 'identity', auth);

    it('answers the user id and a user token for the right e-mail and password', async () => {
      const reply = await identity(basic('ALICE@example.com', 'alice-pw'));
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.id, 'alice');
      const header = reply.headers.get('ocp-apim-sas-token');
      const m = /^token="([^"]+)",refresh="true"$/.exec(header ?? '');
      assert.ok(m, String(header));
      assert.equal(m[1], reply.body.value);
      assert.equal(reply.body.expiry, '2030-01-01T08:00:00.000Z');
      assert.equal(reply.headers.get('cache-control'), 'no-store');
      assert.deepEqual(names(await h.call('GET', 'products', sas(m[1]!))), ['gold', 'limited']);
      assert.deepEqual((await identity(sas(m[1]!))).body, { id: 'alice' });
      assert.equal((await identity({ auth: 'Bearer test-admin-token-0123456789' })).status, 404);
    });

    it('answers a wrong password and an unknown e-mail alike', async () => {
      const wrong = await identity(basic('alice@example.com', 'nope'));
      const unknown = await identity(basic('nobody@example.com', 'nope'));
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.body, unknown.body);
      assert.equal((await identity(basic('bob@example.com', ''))).status, 401, 'a user without a password cannot sign in');
      const blocked = await identity(basic('carol@example.com', 'carol-pw'));
      assert.equal(blocked.status, 401);
      assert.match(blocked.body.error.message, /blocked/);
      const long = await identity(basic('alice@example.com', 'x'.repeat(300)));
      assert.equal(long.status, 400);
      assert.equal(long.body.error.details[0].target, 'password');
      assert.equal((await identity({ auth: 'Basic !!!' })).status, 401);
      assert.equal((await identity({ auth: `Basic ${Buffer.from('no-colon').toString('base64')}` })).status, 401);
      assert.equal((await h.call('GET', 'products', basic('alice@example.com', 'alice-pw'))).status, 401, 'Basic opens nothing else');
      assert.equal((await h.call('POST', 'identity', basic('alice@example.com', 'alice-pw'))).status, 405);
      clock = new Date(clock.getTime() + 61_000);
    });

    it('limits failures per account, then answers 429 with Retry-After until the window passes', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await identity(basic('alice@example.com', `guess-${i}`))).status, 401);
      const limited = await identity(basic('alice@example.com', 'alice-pw'));
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.equal(limited.body.error.code, 'TooManyRequests');
      clock = new Date(clock.getTime() + 61_000);
      assert.equal((await identity(basic('alice@example.com', 'alice-pw'))).status, 200);
    });

    it('limits failures per client address, whatever the e-mail', async () => {
      clock = new Date(clock.getTime() + 61_000);
      for (let i = 0; i < 5; i++) assert.equal((await identity(basic(`someone-${i}@example.com`, 'x'))).status, 401);
      const limited = await identity(basic('alice@example.com', 'alice-pw'));
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      clock = new Date(clock.getTime() + 61_000);
    });

    it('takes a password the user changed', async () => {
      const changed = await h.call('PATCH', 'users/alice', { ...sas(alice), body: { properties: { password: 'new-alice-pw' } }, headers: { 'if-match': '*' } });
      assert.equal(changed.status, 200, changed.text);
      assert.equal((await identity(basic('alice@example.com', 'alice-pw'))).status, 401);
      assert.equal((await identity(basic('alice@example.com', 'new-alice-pw'))).status, 200);
      assert.match(String((await h.store.get('users/alice'))!.body.password), /^scrypt\$32768\$8\$1\$/);
    });
  });

  it('never exports a password, even with --export-secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-user-export-'));
    try {
      const result = await exportStoreToFolder(h.store, h.box, join(dir, 'out'), { exportSecrets: true });
      const info = JSON.parse(readFileSync(join(dir, 'out', 'users', 'alice', 'userInformation.json'), 'utf8'));
      assert.equal(info.properties.password, undefined);
      assert.equal(info.properties.email, 'alice@example.com');
      assert.ok(!result.files.some((f) => f.startsWith('tenant')), 'tenant keys are not exported');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/user-access.md', () => {
  const doc = readFileSync(new URL('../../../docs/user-access.md', import.meta.url), 'utf8');
  it('lists every route of the user table, and no other', () => {
    const rows = [...doc.matchAll(/^\| `(GET|PUT|PATCH|POST|DELETE)` \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(rows, userRoutes.map((r) => `${r.method} /${r.path}`));
  });
});

describe('sealed passwords of older stores', () => {
  it('are replaced by their hash before the first answer, and still sign in', async () => {
    const h = await startManagement();
    try {
      const foreign = new SecretBox(randomBytes(32));
      await h.store.transaction('old-version', async (tx) => {
        const user = (name: string, password: string) => ({ kind: 'user', id: `users/${name}`, parent: '', body: { email: `${name}@example.com`, firstName: name, lastName: 'Old', state: 'active', password } });
        await tx.put(user('olga', h.box.seal('olga-old-pw')));
        await tx.put(user('otto', foreign.seal('otto-old-pw')));
      });
      const first = await h.call('GET', 'identity', basic('olga@example.com', 'olga-old-pw'));
      assert.equal(first.status, 200, first.text);
      const olga = String((await h.store.get('users/olga'))!.body.password);
      assert.match(olga, /^scrypt\$/);
      // A value sealed with another key cannot be opened: left as it is, it never signs in.
      const otto = await h.store.get('users/otto');
      assert.ok(!String(otto!.body.password).startsWith('scrypt$'));
      assert.equal((await h.call('GET', 'identity', basic('otto@example.com', 'otto-old-pw'))).status, 401);
    } finally {
      await h.close();
    }
  });
});
