/** The shapes of the account resources the portal reads (users, subscriptions with their dates): the properties it shows. */
import type { SubscriptionProperties } from './catalogue-resources.js';
import type { Resource } from './resources.js';

export interface UserProperties {
  email: string;
  firstName: string;
  lastName: string;
  state?: string;
  registrationDate?: string;
}

/** A subscription as the subscriptions page shows it: the catalogue's shape and when it was made. */
export interface AccountSubscriptionProperties extends SubscriptionProperties {
  createdDate?: string;
}

export type User = Resource<UserProperties>;
export type AccountSubscription = Resource<AccountSubscriptionProperties>;

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
