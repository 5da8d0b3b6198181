/**
 * The keys the signed-in user can call an API with: those of their active subscriptions whose
 * scope holds the API (a product that contains it, the API itself, or all APIs), read with
 * `POST subscriptions/{sid}/listSecrets`.
 */
import type { Subscription, SubscriptionKeys } from './catalogue-resources.js';
import { listAll, type PortalClient } from './portal-client.js';
import type { Api } from './resources.js';

export interface OfferedKey {
  /** What the picker shows: the subscription's name and which key. */
  label: string;
  value: string;
}

export async function keysForApi(client: PortalClient, userId: string, apiName: string): Promise<OfferedKey[]> {
  const subscriptions = (await listAll<Subscription>(client, `users/${encodeURIComponent(userId)}/subscriptions`)).filter((s) => s.properties.state === 'active');
  const productApis = new Map<string, Promise<boolean>>();
  const productHoldsApi = (product: string): Promise<boolean> => {
    let holds = productApis.get(product);
    if (!holds) {
      holds = listAll<Api>(client, `products/${encodeURIComponent(product)}/apis`).then(
        (apis) => apis.some((api) => api.name === apiName),
        () => false,
      );
      productApis.set(product, holds);
    }
    return holds;
  };
  const offered: OfferedKey[] = [];
  for (const subscription of subscriptions) {
    const scope = subscription.properties.scope ?? '';
    const product = /\/products\/([^/]+)$/.exec(scope)?.[1];
    const api = /\/apis\/([^/]+)$/.exec(scope)?.[1];
    const holds = product ? await productHoldsApi(decodeURIComponent(product)) : api ? decodeURIComponent(api) === apiName : /\/apis$/.test(scope);
    if (!holds) continue;
    const keys = await client.post<SubscriptionKeys>(`subscriptions/${encodeURIComponent(subscription.name)}/listSecrets`);
    const name = subscription.properties.displayName || subscription.name;
    offered.push({ label: `${name}, primary key`, value: keys.primaryKey }, { label: `${name}, secondary key`, value: keys.secondaryKey });
  }
  return offered;
}
