/**
 * The subscription-key index of one configuration snapshot (reference §1.4, errors §1.5): built
 * once, immutable, answering "may this request call this API, and in which context?".
 *
 * Keys are held only as SHA-256 digests bucketed by a digest prefix; the final match is a
 * constant-time comparison of digests. No map is keyed by a plaintext key, nothing is logged.
 */
import { apiBaseName, type Api, type Product, type Subscription, type User } from '../../model/resources.js';
import type { AccessDenied, AccessGranted, AccessResult, KeyKind } from './access-result.js';
import { digestBucket, digestsEqual, keyDigest } from './key-digest.js';
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

/** One key of one subscription, as the index holds it. */
interface KeyCandidate {
  readonly digest: Buffer;
  readonly scope: SubscriptionScope;
  /** Only `active` grants access; other states still occupy the key so it answers "invalid". */
  readonly active: boolean;
  /** Prepared once: the context is the same for every API the key opens. */
  readonly grant: AccessGranted;
}

const keyNotFound: AccessDenied = Object.freeze({ granted: false, code: 'SubscriptionKeyNotFound' });
const keyInvalid: AccessDenied = Object.freeze({ granted: false, code: 'SubscriptionKeyInvalid' });
const apiContext: AccessGranted = Object.freeze({ granted: true, subscription: null, product: null, user: null });

export class SubscriptionIndex {
  private constructor(
    /** Digest prefix → candidates, in configuration order (primary before secondary). */
    private readonly buckets: ReadonlyMap<string, readonly KeyCandidate[]>,
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

    const buckets = new Map<string, KeyCandidate[]>();
    for (const subscription of config.subscriptions) {
      const scope = parseSubscriptionScope(subscription.scope);
      const userId = ownerUserId(subscription.ownerId);
      const user = (userId !== undefined && users.get(userId)) || null;
      // API-scoped, all-APIs and all-access keys run without product context: "policies
      // configured at the product scope aren't applied".
      const product = scope.kind === 'product' ? (products.get(scope.id) ?? null) : null;
      const active = subscription.state === 'active';
      for (const kind of ['primary', 'secondary'] as const satisfies readonly KeyKind[]) {
        const key = kind === 'primary' ? subscription.primaryKey : subscription.secondaryKey;
        // An empty key can never be sent (an empty value counts as no key), so it is not indexed.
        if (!key) continue;
        const digest = keyDigest(key);
        const grant: AccessGranted = Object.freeze({ granted: true, subscription, product, user, keyKind: kind });
        const bucket = digestBucket(digest);
        const list = buckets.get(bucket);
        const candidate: KeyCandidate = Object.freeze({ digest, scope, active, grant });
        if (list) list.push(candidate);
        else buckets.set(bucket, [candidate]);
      }
    }

    const openProductGrants = new Map<string, AccessGranted>();
    const grantByProduct = new Map<Product, AccessGranted>();
    for (const [api, product] of openProductsByApi([...products.values()])) {
      let grant = grantByProduct.get(product);
      if (!grant) {
        grant = Object.freeze({ granted: true, subscription: null, product, user: null });
        grantByProduct.set(product, grant);
      }
      openProductGrants.set(api, grant);
    }
    return new SubscriptionIndex(buckets, productApis, openProductGrants);
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
    const candidates = this.buckets.get(digestBucket(digest));
    if (candidates) {
      // Several subscriptions may share a key; the first (configuration order) that opens this
      // API decides, so a suspended duplicate cannot shadow an active one.
      for (const candidate of candidates) {
        if (digestsEqual(candidate.digest, digest) && candidate.active && this.opens(candidate.scope, apiId)) {
          return candidate.grant;
        }
      }
    }
    return keyInvalid;
  }

  /** Number of keys indexed (two per subscription unless a key is empty). */
  get size(): number {
    let n = 0;
    for (const list of this.buckets.values()) n += list.length;
    return n;
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
      case 'unsupported':
        return false;
    }
  }
}
