// 100,000 subscriptions over 1,000 APIs and 100 products: the index stays exact at scale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Product, Subscription, SubscriptionState } from '../../../src/model/resources.js';
import { SubscriptionIndex } from '../../../src/gateway/subscriptions/subscription-index.js';
import { api, product } from './fixture.js';

const COUNT = 100_000;
const APIS = 1_000;
const PRODUCTS = 100;
const states: SubscriptionState[] = ['active', 'active', 'active', 'suspended', 'expired', 'submitted', 'rejected', 'cancelled'];

// Product p contains APIs p, p+100, p+200, … (ten each); APIs 0..999.
const products: Product[] = Array.from({ length: PRODUCTS }, (_, p) =>
  product(`product-${p}`, Array.from({ length: APIS / PRODUCTS }, (_, j) => `api-${p + j * PRODUCTS}`)),
);

function scopeOf(i: number): string {
  switch (i % 10) {
    case 0: return '/apis';
    case 1: return '/';
    case 2: case 3: case 4: return `/products/product-${i % PRODUCTS}`;
    default: return `/apis/api-${i % APIS}`;
  }
}

// Keys look like generated ones but are derived from the index so expectations can be computed.
const keyOf = (i: number, kind: 'p' | 's'): string => `${kind}${i.toString(16).padStart(8, '0')}${(i * 2654435761 % 4294967296).toString(36)}`;

const subscriptions: Subscription[] = Array.from({ length: COUNT }, (_, i) => ({
  name: `sub-${i}`,
  displayName: `sub-${i}`,
  scope: scopeOf(i),
  primaryKey: keyOf(i, 'p'),
  secondaryKey: keyOf(i, 's'),
  state: states[i % states.length]!,
}));

/** What the rules of reference §1.4 say for subscription i on API a, computed independently. */
function expected(i: number, a: number): boolean {
  if (states[i % states.length] !== 'active') return false;
  switch (i % 10) {
    case 0: case 1: return true;
    case 2: case 3: case 4: return a % PRODUCTS === i % PRODUCTS;
    default: return a === i % APIS;
  }
}

describe('SubscriptionIndex at 100,000 subscriptions', () => {
  const index = SubscriptionIndex.build({ subscriptions, products, users: [] });

  it('indexes every key', () => {
    assert.equal(index.size, COUNT * 2);
  });

  it('answers every sampled key exactly as the rules say', () => {
    let rng = 12345;
    const next = (n: number): number => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng % n;
    };
    let grants = 0;
    let denials = 0;
    for (let sample = 0; sample < 20_000; sample++) {
      const i = next(COUNT);
      // Half the time the subscription's own target API (or one of its product), else any API.
      const a = sample % 2 === 0 ? (i % 10 >= 5 ? i % APIS : (i % PRODUCTS) + PRODUCTS * next(APIS / PRODUCTS)) : next(APIS);
      const kind = sample % 3 === 0 ? 's' : 'p';
      const result = index.authorize(api(`api-${a}`), keyOf(i, kind));
      if (expected(i, a)) {
        grants++;
        assert.ok(result.granted, `sub-${i} on api-${a}`);
        assert.equal(result.subscription, subscriptions[i]);
        assert.equal(result.keyKind, kind === 'p' ? 'primary' : 'secondary');
        assert.equal(result.product?.name ?? null, i % 10 >= 2 && i % 10 <= 4 ? `product-${i % PRODUCTS}` : null);
      } else {
        denials++;
        assert.ok(!result.granted && result.code === 'SubscriptionKeyInvalid', `sub-${i} on api-${a}`);
      }
    }
    // The sample exercised both outcomes in bulk.
    assert.ok(grants > 5_000 && denials > 5_000, `grants ${grants}, denials ${denials}`);
  });

  it('rejects keys that are near misses of real ones', () => {
    for (let i = 0; i < COUNT; i += 997) {
      const key = keyOf(i, 'p');
      for (const wrong of [key + 'x', key.slice(0, -1), key.toUpperCase(), 'q' + key.slice(1)]) {
        if (wrong === key) continue;
        const r = index.authorize(api('api-0'), wrong);
        assert.ok(!r.granted && r.code === 'SubscriptionKeyInvalid', wrong);
      }
    }
  });

  it('still answers anonymous calls from the products', () => {
    const r = index.authorize(api('api-7'), undefined);
    assert.ok(!r.granted && r.code === 'SubscriptionKeyNotFound');
  });
});
