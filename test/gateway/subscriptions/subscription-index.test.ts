import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayErrors } from '../../../src/core/gateway-errors.js';
import type { Api } from '../../../src/model/resources.js';
import { isAccessDenied } from '../../../src/gateway/subscriptions/access-result.js';
import { SubscriptionIndex } from '../../../src/gateway/subscriptions/subscription-index.js';
import { apis, config } from './fixture.js';

const index = SubscriptionIndex.build(config);

type Expected =
  | { code: 'SubscriptionKeyNotFound' | 'SubscriptionKeyInvalid' }
  | { subscription: string | null; product: string | null; user: string | null; keyKind?: 'primary' | 'secondary' };

interface Row {
  name: string;
  api: Api;
  key: string | undefined;
  expect: Expected;
}

const granted = (subscription: string | null, product: string | null, user: string | null = null, keyKind?: 'primary' | 'secondary'): Expected =>
  ({ subscription, product, user, ...(keyKind ? { keyKind } : {}) });
const invalid: Expected = { code: 'SubscriptionKeyInvalid' };
const missing: Expected = { code: 'SubscriptionKeyNotFound' };

const rows: Row[] = [
  // Scope kinds.
  { name: 'API-scoped key on its API: no product context', api: apis.orders, key: 'api-orders-primary', expect: granted('api-orders', null, 'alice', 'primary') },
  { name: 'API-scoped key given as a full ARM id', api: apis.orders, key: 'api-orders-arm-primary', expect: granted('api-orders-arm', null, null, 'primary') },
  { name: 'API-scoped key on a revision of its API', api: apis.ordersRev2, key: 'api-orders-primary', expect: granted('api-orders', null, 'alice', 'primary') },
  { name: 'API-scoped key of another API', api: apis.catalog, key: 'api-orders-primary', expect: invalid },
  { name: 'product key on an API of the product: product context', api: apis.orders, key: 'product-gold-primary', expect: granted('product-gold', 'gold', 'bob', 'primary') },
  { name: 'product key on another API of the product', api: apis.catalog, key: 'product-gold-secondary', expect: granted('product-gold', 'gold', 'bob', 'secondary') },
  { name: 'product key on an API outside the product', api: apis.orphan, key: 'product-gold-primary', expect: invalid },
  { name: 'unpublished product key still works', api: apis.orders, key: 'product-hidden-primary', expect: granted('product-hidden', 'hidden', null, 'primary') },
  { name: 'key of a product that does not exist', api: apis.orders, key: 'product-missing-primary', expect: invalid },
  { name: 'all-APIs key on any API: no product context', api: apis.orphan, key: 'all-apis-primary', expect: granted('all-apis', null, null, 'primary') },
  { name: 'all-access key on any API', api: apis.catalog, key: 'master-secondary', expect: granted('master', null, null, 'secondary') },
  { name: 'all-access key scoped by the service ARM id', api: apis.orphan, key: 'master-arm-primary', expect: granted('master-arm', null, null, 'primary') },
  { name: 'unsupported (workspace) scope grants nothing', api: apis.orders, key: 'workspace-primary', expect: invalid },
  // States.
  { name: 'suspended', api: apis.orders, key: 'suspended-primary', expect: invalid },
  { name: 'submitted', api: apis.orders, key: 'submitted-primary', expect: invalid },
  { name: 'expired', api: apis.orders, key: 'expired-secondary', expect: invalid },
  { name: 'rejected', api: apis.orders, key: 'rejected-primary', expect: invalid },
  { name: 'cancelled', api: apis.orders, key: 'cancelled-primary', expect: invalid },
  { name: 'active with a past expirationDate (audit only) is still active', api: apis.orders, key: 'past-expiry-primary', expect: granted('past-expiry', null, null, 'primary') },
  // Keys.
  { name: 'secondary key', api: apis.orders, key: 'api-orders-secondary', expect: granted('api-orders', null, 'alice', 'secondary') },
  { name: 'unknown key', api: apis.orders, key: 'no-such-key', expect: invalid },
  { name: 'key differing only by case', api: apis.orders, key: 'API-ORDERS-PRIMARY', expect: invalid },
  { name: 'a subscription with an empty secondary key: its primary works', api: apis.orders, key: 'no-secondary-primary', expect: granted('no-secondary', null, null, 'primary') },
  { name: 'shared key: the active duplicate opens its API', api: apis.catalog, key: 'shared-key', expect: granted('dup-active', null, null, 'primary') },
  { name: 'shared key: the suspended duplicate stays invalid', api: apis.orders, key: 'shared-key', expect: invalid },
  { name: 'owner that is not in the configuration → user null', api: apis.orders, key: 'ghost-owner-primary', expect: granted('ghost-owner', null, null, 'primary') },
  // Without a key.
  { name: 'no key, subscription required, no open product', api: apis.orders, key: undefined, expect: missing },
  { name: 'no key, API outside every product', api: apis.orphan, key: undefined, expect: missing },
  { name: 'no key, open product includes the API: product context', api: apis.catalog, key: undefined, expect: granted(null, 'starter') },
  { name: 'no key, several open products: the first by name', api: apis.bothOpen, key: undefined, expect: granted(null, 'alpha-open') },
  { name: 'no key, subscriptionRequired=false: API context', api: apis.openApi, key: undefined, expect: granted(null, null) },
  { name: 'no key, open product wins over API context', api: apis.openInProductAndApi, key: undefined, expect: granted(null, 'free') },
  { name: 'empty key counts as none', api: apis.orders, key: '', expect: missing },
  // A key sent although none is needed is still validated.
  { name: 'valid key on an open API', api: apis.openApi, key: 'open-api-primary', expect: granted('open-api', null, null, 'primary') },
  { name: 'invalid key on an open API', api: apis.openApi, key: 'no-such-key', expect: invalid },
  { name: 'key of another API on an open API', api: apis.openApi, key: 'api-orders-primary', expect: invalid },
  { name: 'invalid key on an API of an open product', api: apis.catalog, key: 'no-such-key', expect: invalid },
  { name: 'valid key on an API of an open product: the key decides the context', api: apis.catalog, key: 'api-catalog-primary', expect: granted('api-catalog', null, null, 'primary') },
  { name: 'key of the open product itself: product context', api: apis.catalog, key: 'product-starter-primary', expect: granted('product-starter', 'starter', null, 'primary') },
  { name: 'suspended key on an open API', api: apis.openApi, key: 'suspended-primary', expect: invalid },
  { name: 'custom-named API: its API key', api: apis.custom, key: 'custom-api-secondary', expect: granted('custom-api', null, null, 'secondary') },
];

describe('SubscriptionIndex.authorize', () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = index.authorize(row.api, row.key);
      if ('code' in row.expect) {
        assert.ok(isAccessDenied(result), `expected ${row.expect.code}, got access`);
        assert.equal(result.code, row.expect.code);
        return;
      }
      assert.ok(!isAccessDenied(result), `expected access, got ${isAccessDenied(result) ? result.code : ''}`);
      assert.equal(result.subscription?.name ?? null, row.expect.subscription);
      assert.equal(result.product?.name ?? null, row.expect.product);
      assert.equal(result.user?.name ?? null, row.expect.user);
      assert.equal(result.keyKind, row.expect.keyKind);
    });
  }

  it('returns the configuration objects themselves as context', () => {
    const result = index.authorize(apis.orders, 'product-gold-primary');
    assert.ok(!isAccessDenied(result));
    assert.equal(result.subscription, config.subscriptions.find((s) => s.name === 'product-gold'));
    assert.equal(result.product, config.products.find((p) => p.name === 'gold'));
    assert.equal(result.user, config.users.find((u) => u.name === 'bob'));
  });

  it('matches API and product names case-insensitively, as ARM names are', () => {
    const idx = SubscriptionIndex.build({
      ...config,
      subscriptions: [
        { name: 'a', displayName: 'a', scope: '/APIs/Orders', primaryKey: 'k-a', secondaryKey: 'k-a2', state: 'active' },
        { name: 'p', displayName: 'p', scope: '/Products/GOLD', primaryKey: 'k-p', secondaryKey: 'k-p2', state: 'active', ownerId: '/Users/ALICE' },
      ],
    });
    const a = idx.authorize({ name: 'orders', subscriptionRequired: true }, 'k-a');
    assert.equal(a.granted && a.subscription?.name, 'a');
    const p = idx.authorize({ name: 'ORDERS', subscriptionRequired: true }, 'k-p');
    assert.equal(p.granted && p.product?.name, 'gold');
    assert.equal(p.granted && p.user?.name, 'alice');
  });

  it('denies with codes whose 401 bodies are Azure verbatim (reference §1.5)', () => {
    const notFound = index.authorize(apis.orders, undefined);
    const bad = index.authorize(apis.orders, 'nope');
    assert.ok(isAccessDenied(notFound) && isAccessDenied(bad));
    assert.equal(gatewayErrors[notFound.code].status, 401);
    assert.equal(
      gatewayErrors[notFound.code].message,
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
    assert.equal(gatewayErrors[bad.code].status, 401);
    assert.equal(
      gatewayErrors[bad.code].message,
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    );
  });

  it('is immutable and unaffected by later changes to the configuration arrays', () => {
    const subs = [...config.subscriptions];
    const products = config.products.map((p) => ({ ...p, apis: [...p.apis] }));
    const idx = SubscriptionIndex.build({ ...config, subscriptions: subs, products });
    subs.length = 0;
    products.find((p) => p.name === 'gold')!.apis.length = 0;
    products.find((p) => p.name === 'starter')!.subscriptionRequired = true;
    assert.ok(Object.isFrozen(idx));
    const r = idx.authorize(apis.orders, 'product-gold-primary');
    assert.equal(r.granted && r.product?.name, 'gold');
    assert.ok(Object.isFrozen(r));
    const anon = idx.authorize(apis.catalog, undefined);
    assert.equal(anon.granted && anon.product?.name, 'starter');
  });

  it('holds no plaintext key as a map key anywhere in the index', () => {
    const plaintext = new Set(config.subscriptions.flatMap((s) => [s.primaryKey, s.secondaryKey]).filter(Boolean));
    let maps = 0;
    const seen = new Set<unknown>();
    const visit = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || seen.has(value)) return;
      seen.add(value);
      // The context objects handed to policies are the configuration's own; they are not index structure.
      if (config.subscriptions.includes(value as never)) return;
      if (value instanceof Map) {
        maps++;
        for (const [k, v] of value) {
          assert.ok(!(typeof k === 'string' && plaintext.has(k)), 'a map is keyed by a plaintext key');
          visit(k);
          visit(v);
        }
      } else if (value instanceof Set) {
        for (const v of value) assert.ok(!(typeof v === 'string' && plaintext.has(v)), 'a set holds a plaintext key');
      } else if (!Buffer.isBuffer(value)) {
        for (const v of Object.values(value)) {
          assert.ok(!(typeof v === 'string' && plaintext.has(v)), 'the index holds a plaintext key');
          visit(v);
        }
      }
    };
    visit(index);
    assert.ok(maps >= 1, 'the walk reached the index maps');
    assert.equal(index.size, config.subscriptions.length * 2 - 1);
  });
});
