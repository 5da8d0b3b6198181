/** Finding subscriptions by what they point at (scope, owner). */
import type { StoredEntity } from '../../../core/entity-store.js';
import { relativeReference } from '../arm-ids.js';
import type { KindContext } from '../resource-kind.js';

/** Subscriptions whose scope is the entity at `path` (`products/p1`, `apis/a1`). */
export async function subscriptionsScopedTo(ctx: KindContext, path: string): Promise<StoredEntity[]> {
  const all = (await ctx.tx.list({ kind: 'subscription' })).items;
  return all.filter((s) => relativeReference(String(s.body.scope ?? '')).toLowerCase() === path.toLowerCase());
}

/** Subscriptions owned by the user at `path` (`users/u1`). */
export async function subscriptionsOwnedBy(ctx: KindContext, path: string): Promise<StoredEntity[]> {
  const all = (await ctx.tx.list({ kind: 'subscription' })).items;
  return all.filter((s) => relativeReference(String(s.body.ownerId ?? '')).toLowerCase() === path.toLowerCase());
}
