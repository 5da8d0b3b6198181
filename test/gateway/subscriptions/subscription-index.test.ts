import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayErrors } from '../../../src/core/gateway-errors.js';
import type { Api } from '../../../src/model/resources.js';
import { isAccessDenied } from '../../../src/gateway/subscriptions/access-result.js';
import { digestBucket, digestsEqual, keyDigest, keyDigestHex } from '../../../src/gateway/subscriptions/key-digest.js';
import { openProductsByApi } from '../../../src/gateway/subscriptions/open-product.js';
import { SubscriptionIndex } from '../../../src/gateway/subscriptions/subscription-index.js';
import { api, apis, bucketTriple, config, product, subscription } from './fixture.js';

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

/** The subscription name a result grants, or its error code. */
const outcome = (result: ReturnType<SubscriptionIndex['authorize']>): string => (result.granted ? `${result.subscription?.name}` : result.code);

describe('SubscriptionIndex with keys whose digests share a bucket', () => {
  const [k1, k2, k3] = bucketTriple;
  const only = (name: string, scope: string, key: string) => subscription(name, scope, 'active', { primaryKey: key, secondaryKey: '' });

  it('grants each key its own subscription and nothing else (three keys in one bucket)', () => {
    const idx = SubscriptionIndex.build({
      ...config,
      subscriptions: [only('s1', '/apis/orders', k1), only('s2', '/apis/catalog', k2), only('s3', '/apis/orphan', k3)],
    });
    const targets = [apis.orders, apis.catalog, apis.orphan];
    for (const [i, key] of bucketTriple.entries()) {
      for (const [j, target] of targets.entries()) {
        assert.equal(outcome(idx.authorize(target, key)), i === j ? `s${i + 1}` : 'SubscriptionKeyInvalid', `${key} on ${target.name}`);
      }
    }
  });

  it('rejects a key that shares the bucket of an indexed key but is not one', () => {
    // All-access subscriptions: the digest comparison is the only thing between the key and access.
    const one = SubscriptionIndex.build({ ...config, subscriptions: [only('s1', '/', k1)] });
    assert.equal(outcome(one.authorize(apis.orders, k1)), 's1');
    assert.equal(outcome(one.authorize(apis.orders, k2)), 'SubscriptionKeyInvalid');
    assert.equal(outcome(one.authorize(apis.orders, k3)), 'SubscriptionKeyInvalid');
    const two = SubscriptionIndex.build({ ...config, subscriptions: [only('s1', '/', k1), only('s2', '/', k2)] });
    assert.equal(outcome(two.authorize(apis.orders, k1)), 's1');
    assert.equal(outcome(two.authorize(apis.orders, k2)), 's2');
    assert.equal(outcome(two.authorize(apis.orders, k3)), 'SubscriptionKeyInvalid');
  });
});

describe('SubscriptionIndex on unusual configurations', () => {
  it('uses the first of two products or users whose names differ only by case', () => {
    const products = [product('gold', ['orders']), product('GOLD', ['catalog'])];
    const users = [{ name: 'carol', groups: ['first'] }, { name: 'Carol', groups: ['second'] }];
    const idx = SubscriptionIndex.build({
      subscriptions: [subscription('p', '/products/gold', 'active', { ownerId: '/users/carol' })],
      products,
      users,
    });
    const result = idx.authorize(apis.orders, 'p-primary');
    assert.ok(result.granted);
    assert.equal(result.product, products[0]);
    assert.equal(result.user, users[0]);
    assert.equal(outcome(idx.authorize(apis.catalog, 'p-primary')), 'SubscriptionKeyInvalid');
  });

  it('gives an API-scoped key no product context even when a product has the API\'s name', () => {
    const idx = SubscriptionIndex.build({
      subscriptions: [subscription('a', '/apis/gold'), subscription('p', '/products/gold')],
      products: [product('gold', ['gold'])],
      users: [],
    });
    const byApiKey = idx.authorize(api('gold'), 'a-primary');
    assert.ok(byApiKey.granted);
    assert.equal(byApiKey.subscription?.name, 'a');
    assert.equal(byApiKey.product, null);
    const byProductKey = idx.authorize(api('gold'), 'p-primary');
    assert.equal(byProductKey.granted && byProductKey.product?.name, 'gold');
  });

  it('indexes no empty key: a subscription with a secondary key only has that one key', () => {
    const idx = SubscriptionIndex.build({
      subscriptions: [subscription('s', '/apis/orders', 'active', { primaryKey: '' })],
      products: [],
      users: [],
    });
    assert.equal(idx.size, 1);
    const result = idx.authorize(apis.orders, 's-secondary');
    assert.equal(result.granted && result.keyKind, 'secondary');
    assert.equal(outcome(idx.authorize(apis.orders, '')), 'SubscriptionKeyNotFound');
  });

  it('matches the API names a product lists case-insensitively', () => {
    const idx = SubscriptionIndex.build({
      subscriptions: [subscription('p', '/products/mixed')],
      products: [product('mixed', ['Orders', 'CATALOG'])],
      users: [],
    });
    assert.equal(outcome(idx.authorize(apis.orders, 'p-primary')), 'p');
    assert.equal(outcome(idx.authorize(apis.catalog, 'p-secondary')), 'p');
    assert.equal(outcome(idx.authorize(apis.orphan, 'p-primary')), 'SubscriptionKeyInvalid');
  });
});

// FIPS 180-2, appendix B.1: SHA-256("abc").
const abcDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('key digests', () => {
  it('are SHA-256, as bytes and as hex', () => {
    assert.equal(keyDigest('abc').toString('hex'), abcDigest);
    assert.equal(keyDigest('abc').length, 32);
    assert.equal(keyDigestHex('abc'), abcDigest);
  });

  it('bucket a digest by its first 30 bits', () => {
    // 0xba7816bf without its two low bits.
    assert.equal(digestBucket(keyDigest('abc')), 0xba7816bf >>> 2);
    assert.equal(digestBucket(Buffer.alloc(32, 0xff)), 2 ** 30 - 1);
    assert.equal(digestBucket(Buffer.from('00000003ff', 'hex')), 0);
  });

  it('compare equal digests as equal and any difference as unequal', () => {
    assert.equal(digestsEqual(keyDigest('k1'), keyDigest('k1')), true);
    assert.equal(digestsEqual(keyDigest('k1'), keyDigest('k2')), false);
    const last = keyDigest('k1');
    last[31] ^= 1;
    assert.equal(digestsEqual(keyDigest('k1'), last), false);
  });

  it('compare buffers of different lengths as unequal without throwing', () => {
    assert.equal(digestsEqual(keyDigest('k1'), keyDigest('k1').subarray(0, 31)), false);
    assert.equal(digestsEqual(Buffer.alloc(0), keyDigest('k1')), false);
  });

  it('tell apart keys whose digests share a bucket', () => {
    const digests = bucketTriple.map(keyDigest);
    assert.equal(new Set(digests.map(digestBucket)).size, 1, 'the fixture keys share one bucket');
    assert.equal(digestsEqual(digests[0]!, digests[1]!), false);
    assert.equal(digestsEqual(digests[1]!, digests[2]!), false);
  });
});

/** API base name → the name of the open product chosen for it. */
function chosen(...products: Parameters<typeof openProductsByApi>[0]): Record<string, string> {
  return Object.fromEntries([...openProductsByApi(products)].map(([api, p]) => [api, p.name]));
}

describe('openProductsByApi', () => {
  it('maps every API of an open product, published or not, and skips products that need a subscription', () => {
    assert.deepEqual(
      chosen(product('open', ['a', 'b'], false), product('draft', ['c'], false, false), product('closed', ['d'], true)),
      { a: 'open', b: 'open', c: 'draft' },
    );
  });

  it('keys the map by the API base name, lower-cased', () => {
    assert.deepEqual(chosen(product('open', ['Orders;rev=2', 'CATALOG'], false)), { orders: 'open', catalog: 'open' });
  });

  it('picks the product whose name sorts first, whatever the configuration order', () => {
    for (const order of [['zeta', 'alpha', 'mid'], ['alpha', 'zeta', 'mid'], ['mid', 'zeta', 'alpha']]) {
      assert.deepEqual(chosen(...order.map((n) => product(n, ['a'], false))), { a: 'alpha' }, order.join());
    }
  });

  it('sorts names case-insensitively', () => {
    // Ordinal order would put "Beta" (B = 0x42) before "alpha" (a = 0x61).
    assert.deepEqual(chosen(product('Beta', ['a'], false), product('alpha', ['a'], false)), { a: 'alpha' });
    assert.deepEqual(chosen(product('alpha', ['a'], false), product('Beta', ['a'], false)), { a: 'alpha' });
  });

  it('breaks a tie between names differing only by case ordinally, whatever the order', () => {
    assert.deepEqual(chosen(product('free', ['a'], false), product('Free', ['a'], false)), { a: 'Free' });
    assert.deepEqual(chosen(product('Free', ['a'], false), product('free', ['a'], false)), { a: 'Free' });
  });

  it('keeps the first of two products with the very same name', () => {
    const first = { ...product('same', ['a'], false), displayName: 'first' };
    const second = { ...product('same', ['a'], false), displayName: 'second' };
    assert.equal(openProductsByApi([first, second]).get('a'), first);
    assert.equal(openProductsByApi([second, first]).get('a'), second);
  });
});
