// A small configuration exercising every rule of reference §1.4; shared by the index tests.
import type { Api, Product, Subscription, SubscriptionState, User } from '../../../src/model/resources.js';

/** An API with the fields the subscription check reads. */
export function api(name: string, subscriptionRequired = true, names?: Api['subscriptionKeyParameterNames']): Api {
  return {
    name,
    displayName: name,
    path: name,
    protocols: ['https'],
    subscriptionRequired,
    subscriptionKeyParameterNames: names,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [],
  };
}

/** A product; open when subscriptionRequired is false. */
export function product(name: string, apis: string[], subscriptionRequired = true, published = true): Product {
  return {
    name,
    displayName: name,
    subscriptionRequired,
    state: published ? 'published' : 'notPublished',
    apis,
    groups: [],
  };
}

/** A subscription whose keys are derived from its name. */
export function subscription(name: string, scope: string, state: SubscriptionState = 'active', extra: Partial<Subscription> = {}): Subscription {
  return { name, displayName: name, scope, primaryKey: `${name}-primary`, secondaryKey: `${name}-secondary`, state, ...extra };
}

export function user(name: string): User {
  return { name, groups: [] };
}

export const arm = '/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/svc';

export const apis = {
  orders: api('orders'),
  ordersRev2: api('orders;rev=2'),
  catalog: api('catalog'),
  openApi: api('open-api', false),
  bothOpen: api('both-open'),
  openInProductAndApi: api('free-and-open', false),
  orphan: api('orphan'),
  custom: api('custom', true, { header: 'X-Api-Key', query: 'apikey' }),
};

export const products = [
  product('gold', ['orders', 'catalog']),
  product('hidden', ['orders'], true, false),
  product('starter', ['catalog'], false),
  product('zeta-open', ['both-open'], false),
  product('alpha-open', ['both-open'], false, false),
  product('free', ['free-and-open'], false),
];

export const users = [user('alice'), user('bob')];

export const subscriptions: Subscription[] = [
  subscription('api-orders', '/apis/orders', 'active', { ownerId: '/users/alice' }),
  subscription('api-orders-arm', `${arm}/apis/orders`),
  subscription('api-catalog', '/apis/catalog'),
  subscription('product-gold', '/products/gold', 'active', { ownerId: `${arm}/users/bob` }),
  subscription('product-hidden', '/products/hidden'),
  subscription('product-starter', '/products/starter'),
  subscription('product-missing', '/products/nope'),
  subscription('all-apis', '/apis'),
  subscription('master', '/'),
  subscription('master-arm', arm),
  subscription('workspace', '/workspaces/w1/apis/orders'),
  subscription('suspended', '/apis/orders', 'suspended'),
  subscription('submitted', '/apis/orders', 'submitted'),
  subscription('expired', '/apis/orders', 'expired'),
  subscription('rejected', '/apis/orders', 'rejected'),
  subscription('cancelled', '/apis/orders', 'cancelled'),
  subscription('past-expiry', '/apis/orders', 'active', { expirationDate: '2001-01-01T00:00:00Z', endDate: '2001-01-01T00:00:00Z' }),
  subscription('ghost-owner', '/apis/orders', 'active', { ownerId: '/users/ghost' }),
  subscription('custom-api', '/apis/custom'),
  subscription('open-api', '/apis/open-api'),
  // Two subscriptions sharing one key: the suspended one must not shadow the active one.
  subscription('dup-suspended', '/apis/orders', 'suspended', { primaryKey: 'shared-key' }),
  subscription('dup-active', '/apis/catalog', 'active', { primaryKey: 'shared-key' }),
  subscription('no-secondary', '/apis/orders', 'active', { secondaryKey: '' }),
];

export const config = { subscriptions, products, users, apis: Object.values(apis) };

/**
 * Three keys whose SHA-256 digests share their first 30 bits (one index bucket) and differ
 * after; found by a birthday search over `collide-{n}`. The tests assert the sharing.
 */
export const bucketTriple = ['collide-704214', 'collide-1174850', 'collide-2540932'] as const;
