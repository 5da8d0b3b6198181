/**
 * The subscription-key index of one configuration snapshot (reference §1.4, errors §1.5): built
 * once, immutable, answering "may this request call this API, and in which context?".
 *
 * Keys are held only as SHA-256 digests bucketed by a digest prefix; the final match is a
 * constant-time comparison of digests. No map is keyed by a plaintext key, nothing is logged.
 */
import { apiBaseName, type Api, type Product, type Subscription, type User } from '../../model/resources.js';
import type { AccessDenied, AccessGranted, AccessResult, KeyKind } from './access-result.js';
import { digestBucket, digestsEqual, keyDigest, keyDigestHex } from './key-digest.js';
import { openProductsByApi } from './open-product.js';
import { ownerUserId } from './owner-user-id.js';
import { parseSubscriptionScope, type SubscriptionScope } from './subscription-scope.js';

/** What the index is built from; a `ServiceConfig` fits. */
export interface SubscriptionIndexSource {
  subscriptions: readonly Subscription[];
  products: readonly Product[];
  users: readonly User[];
  /** Accepted so a whole `ServiceConfig` can be passed; the API is given to `authorize` itself. */
  apis?: readonly Api[];
}

/**
 * The keys of one snapshot, packed for a small heap: key `i` (configuration order, primary before
 * secondary) has its digest at bytes `32 i … 32 i + 31` of one buffer, and its other facts at
 * index `i` of parallel arrays; no object is made per key until a key first grants access.
 */
interface KeyTable {
  readonly digests: Buffer;
  /** Bit 0: the subscription is active (only `active` grants access; other states still occupy the key so it answers "invalid"); bit 1: the key is the secondary one. */
  readonly flags: Uint8Array;
  readonly scopes: readonly SubscriptionScope[];
  readonly subscriptions: readonly Subscription[];
  readonly products: ReadonlyArray<Product | null>;
  readonly users: ReadonlyArray<User | null>;
  /** Filled on first use: the context is the same for every API the key opens. */
  readonly grants: Array<AccessGranted | undefined>;
}

const DIGEST_BYTES = 32;
const ACTIVE = 1;
const SECONDARY = 2;

const keyNotFound: AccessDenied = Object.freeze({ granted: false, code: 'SubscriptionKeyNotFound' });
const keyInvalid: AccessDenied = Object.freeze({ granted: false, code: 'SubscriptionKeyInvalid' });
const apiContext: AccessGranted = Object.freeze({ granted: true, subscription: null, product: null, user: null });

export class SubscriptionIndex {
  private constructor(
    /** Digest prefix (digestBucket) → key index, or key indexes in configuration order when several share it. */
    private readonly buckets: ReadonlyMap<number, number | readonly number[]>,
    private readonly keys: KeyTable,
    /** Product name (lower-cased) → API base names (lower-cased) it contains. */
    private readonly productApis: ReadonlyMap<string, ReadonlySet<string>>,
    /** API base name (lower-cased) → the anonymous grant of its open product. */
    private readonly openProductGrants: ReadonlyMap<string, AccessGranted>,
  ) {
    Object.freeze(this);
  }

  /** Builds the index of one configuration snapshot. */
  static build(config: SubscriptionIndexSource): SubscriptionIndex {
    const products = new Map<string, Product>();
    const productApis = new Map<string, Set<string>>();
    for (const product of config.products) {
      const id = product.name.toLowerCase();
      // A duplicated name is a broken configuration; the first definition wins, consistently.
      if (products.has(id)) continue;
      products.set(id, product);
      productApis.set(id, new Set(product.apis.map((a) => apiBaseName(a).toLowerCase())));
    }
    const users = new Map<string, User>();
    for (const user of config.users) if (!users.has(user.name.toLowerCase())) users.set(user.name.toLowerCase(), user);

    const indexed: Array<{ key: string; subscription: Subscription; kind: KeyKind }> = [];
    for (const subscription of config.subscriptions) {
      // An empty key can never be sent (an empty value counts as no key), so it is not indexed.
      if (subscription.primaryKey) indexed.push({ key: subscription.primaryKey, subscription, kind: 'primary' });
      if (subscription.secondaryKey) indexed.push({ key: subscription.secondaryKey, subscription, kind: 'secondary' });
    }
    const count = indexed.length;
    // The arrays are sized up front for speed only: the loop below writes every index.
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is written below
    const scopes = new Array<SubscriptionScope>(count);
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is written below
    const subscriptions = new Array<Subscription>(count);
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is written below
    const keyProducts = new Array<Product | null>(count);
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is written below
    const keyUsers = new Array<User | null>(count);
    const keys: KeyTable = {
      digests: Buffer.allocUnsafeSlow(count * DIGEST_BYTES),
      flags: new Uint8Array(count),
      scopes,
      subscriptions,
      products: keyProducts,
      users: keyUsers,
      // Stryker disable next-line ArrayDeclaration: equivalent, an index past the end reads undefined too
      grants: new Array<AccessGranted | undefined>(count).fill(undefined),
    };
    // Equal scope strings parse to equal scopes: one shared (read-only) object each.
    const scopeByText = new Map<string, SubscriptionScope>();
    const buckets = new Map<number, number | number[]>();
    let last: Subscription | undefined;
    // Set for the first key (its subscription differs from `last`), before any use.
    let scope!: SubscriptionScope;
    let product: Product | null = null;
    let user: User | null = null;
    for (let i = 0; i < count; i++) {
      const { key, subscription, kind } = indexed[i]!;
      // Stryker disable next-line ConditionalExpression: equivalent, recomputing a subscription's facts per key gives the same facts
      if (subscription !== last) {
        last = subscription;
        let parsed = scopeByText.get(subscription.scope);
        // Stryker disable next-line ConditionalExpression: equivalent, parsing a scope again gives an equal scope
        if (!parsed) scopeByText.set(subscription.scope, (parsed = parseSubscriptionScope(subscription.scope)));
        scope = parsed;
        const userId = ownerUserId(subscription.ownerId);
        // Stryker disable next-line ConditionalExpression: equivalent, users.get(undefined) is undefined too
        user = (userId !== undefined && users.get(userId)) || null;
        // API-scoped, all-APIs and all-access keys run without product context: "policies
        // configured at the product scope aren't applied".
        product = scope.kind === 'product' ? (products.get(scope.id) ?? null) : null;
      }
      // Written straight into the table: a native Buffer per key (hundreds of thousands of small
      // allocations) stays partly resident even once freed.
      keys.digests.write(keyDigestHex(key), i * DIGEST_BYTES, DIGEST_BYTES, 'hex');
      const digest = keys.digests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES);
      keys.flags[i] = (subscription.state === 'active' ? ACTIVE : 0) | (kind === 'secondary' ? SECONDARY : 0);
      scopes[i] = scope;
      subscriptions[i] = subscription;
      keyProducts[i] = product;
      keyUsers[i] = user;
      const bucket = digestBucket(digest);
      const found = buckets.get(bucket);
      if (found === undefined) buckets.set(bucket, i);
      else if (typeof found === 'number') buckets.set(bucket, [found, i]);
      else found.push(i);
    }

    const openProductGrants = new Map<string, AccessGranted>();
    const grantByProduct = new Map<Product, AccessGranted>();
    for (const [api, product] of openProductsByApi([...products.values()])) {
      let grant = grantByProduct.get(product);
      // Stryker disable next-line ConditionalExpression: equivalent, a grant made anew per API is an equal frozen object
      if (!grant) {
        grant = Object.freeze({ granted: true, subscription: null, product, user: null });
        grantByProduct.set(product, grant);
      }
      openProductGrants.set(api, grant);
    }
    return new SubscriptionIndex(buckets, keys, productApis, openProductGrants);
  }

  /**
   * Decides a request to `api` carrying `key` (undefined when none was sent, see
   * `extractSubscriptionKey`). A key that was sent is always validated, even on an API that
   * needs none: an invalid one is rejected, never ignored.
   */
  authorize(api: Pick<Api, 'name' | 'subscriptionRequired'>, key: string | undefined): AccessResult {
    const apiId = apiBaseName(api.name).toLowerCase();
    if (key === undefined || key === '') return this.anonymous(api, apiId);
    const digest = keyDigest(key);
    const found = this.buckets.get(digestBucket(digest));
    if (found !== undefined) {
      // Several subscriptions may share a key; the first (configuration order) that opens this
      // API decides, so a suspended duplicate cannot shadow an active one.
      if (typeof found === 'number') {
        if (this.keyOpens(found, digest, apiId)) return this.grant(found);
      } else {
        for (const i of found) if (this.keyOpens(i, digest, apiId)) return this.grant(i);
      }
    }
    return keyInvalid;
  }

  /** Number of keys indexed (two per subscription unless a key is empty). */
  get size(): number {
    return this.keys.flags.length;
  }

  /** Whether key `i` has this digest, is active and opens the API. */
  private keyOpens(i: number, digest: Buffer, apiId: string): boolean {
    const keys = this.keys;
    const start = i * DIGEST_BYTES;
    return (
      digestsEqual(keys.digests.subarray(start, start + DIGEST_BYTES), digest) &&
      (keys.flags[i]! & ACTIVE) !== 0 &&
      this.opens(keys.scopes[i]!, apiId)
    );
  }

  /** The grant of key `i`, made once. */
  private grant(i: number): AccessGranted {
    const keys = this.keys;
    let grant = keys.grants[i];
    // Stryker disable next-line ConditionalExpression: equivalent, a grant made anew per call is an equal frozen object
    if (!grant) {
      const keyKind: KeyKind = (keys.flags[i]! & SECONDARY) !== 0 ? 'secondary' : 'primary';
      grant = Object.freeze({ granted: true, subscription: keys.subscriptions[i]!, product: keys.products[i]!, user: keys.users[i]!, keyKind });
      keys.grants[i] = grant;
    }
    return grant;
  }

  private anonymous(api: Pick<Api, 'subscriptionRequired'>, apiId: string): AccessResult {
    const open = this.openProductGrants.get(apiId);
    if (open) return open;
    if (api.subscriptionRequired === false) return apiContext;
    return keyNotFound;
  }

  private opens(scope: SubscriptionScope, apiId: string): boolean {
    switch (scope.kind) {
      case 'service':
      case 'all-apis':
        return true;
      case 'api':
        return scope.id === apiId;
      case 'product':
        return this.productApis.get(scope.id)?.has(apiId) ?? false;
    }
    // An unsupported scope (and any kind added later without a rule here) grants nothing.
    return false;
  }
}
