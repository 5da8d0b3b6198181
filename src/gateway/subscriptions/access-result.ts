/**
 * The outcome of the subscription check (reference §1.4): either the context a request runs in
 * (subscription, product, user) or the gateway error that rejects it (§1.5).
 */
import type { Product, Subscription, User } from '../../model/resources.js';

/** Which of a subscription's two keys the caller sent. */
export type KeyKind = 'primary' | 'secondary';

/** The request may proceed; these are `context.Subscription`, `context.Product`, `context.User`. */
export interface AccessGranted {
  readonly granted: true;
  /** The subscription whose key was sent; null for an anonymous call. */
  readonly subscription: Subscription | null;
  /** The product context; null for API-scoped, all-APIs and all-access keys and for API context. */
  readonly product: Product | null;
  /** The subscription's owner, when it has one that exists in the configuration. */
  readonly user: User | null;
  /** Set only when a key was sent and accepted. */
  readonly keyKind?: KeyKind;
}

/** The request is rejected with 401; the code names an entry of `gatewayErrors`. */
export interface AccessDenied {
  readonly granted: false;
  readonly code: 'SubscriptionKeyNotFound' | 'SubscriptionKeyInvalid';
}

export type AccessResult = AccessGranted | AccessDenied;

/** True when the result rejects the request. */
export function isAccessDenied(result: AccessResult): result is AccessDenied {
  return !result.granted;
}
