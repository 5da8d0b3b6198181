/** The shapes of the account resources the portal reads (users, subscriptions, identity providers): the properties it shows. */
import type { Resource } from './resources.js';

export interface UserProperties {
  email: string;
  firstName: string;
  lastName: string;
  state?: string;
  registrationDate?: string;
}

export interface SubscriptionProperties {
  scope: string;
  displayName?: string;
  state: 'active' | 'submitted' | 'suspended' | 'cancelled' | 'expired' | 'rejected' | string;
  createdDate?: string;
  ownerId?: string;
}

/** `POST subscriptions/{sid}/listSecrets`. */
export interface SubscriptionSecrets {
  primaryKey: string;
  secondaryKey: string;
}

export interface IdentityProviderProperties {
  type?: string;
}

export type User = Resource<UserProperties>;
export type Subscription = Resource<SubscriptionProperties>;
export type IdentityProvider = Resource<IdentityProviderProperties>;

/** The product name of a subscription's scope (`/products/{p}` or its full id); undefined for other scopes. */
export function productOfScope(scope: string): string | undefined {
  const match = /\/products\/([^/]+)$/i.exec(scope);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}
