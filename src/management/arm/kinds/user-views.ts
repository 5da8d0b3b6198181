/**
 * What Azure serves about a user without storing it apart: `users/{u}/groups` (the groups the
 * user is in, from the `groups/{g}/users/{u}` links; UserGroup_List) and `users/{u}/subscriptions`
 * (the subscriptions it owns; UserSubscription_List and _Get). Both are addressed below the user,
 * as Azure's ids are. Both are read-only: membership is written through the group, ownership
 * through the subscription's `ownerId`. `users/{u}/identities` (UserIdentities_List) lists the
 * user's `identities` as Azure answers them: bare `{ provider, id }` rows, written with the user.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import { groupSchema, linkSchema } from '../resource-schemas.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { subscriptionKind } from './subscription.js';
import { subscriptionsOwnedBy } from './subscription-queries.js';

const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

/** `entity` as seen below the user at `parent` (`users/u/subscriptions/s`). */
const belowUser = (entity: StoredEntity, parent: string, collection: string): StoredEntity => ({ ...entity, id: `${parent}/${collection}/${lastSegment(entity.id)}`, parent });

async function groupsOf(ctx: KindContext, user: string): Promise<StoredEntity[]> {
  const name = lastSegment(user).toLowerCase();
  const groups: StoredEntity[] = [];
  for (const link of (await ctx.tx.list({ kind: 'groupUser' })).items) {
    if (lastSegment(link.id).toLowerCase() !== name) continue;
    const group = await ctx.tx.get(link.parent);
    if (group) groups.push(belowUser(group, user, 'groups'));
  }
  return groups;
}

export const userGroupKind: ResourceKind = {
  kind: 'userGroup',
  armType: 'Microsoft.ApiManagement/service/users/groups',
  label: 'Group',
  schema: groupSchema,
  fixedEntities: (ctx, parent) => groupsOf(ctx, parent),
};

export const userSubscriptionKind: ResourceKind = {
  kind: 'userSubscription',
  armType: 'Microsoft.ApiManagement/service/users/subscriptions',
  label: 'Subscription',
  schema: subscriptionKind.schema,
  async fixedEntities(ctx, parent) {
    const owned = await subscriptionsOwnedBy(ctx, parent);
    return owned.map((s) => belowUser(s, parent, 'subscriptions'));
  },
  present: (entity, ctx) => subscriptionKind.present!(entity, ctx),
};

/** The user's identities, one entity each (listed only: Azure has no GET of one identity). */
async function identitiesOf(ctx: KindContext, user: string): Promise<StoredEntity[]> {
  const entity = await ctx.tx.get(user);
  const identities = Array.isArray(entity?.body.identities) ? (entity.body.identities as Array<Record<string, unknown>>) : [];
  return identities.map((identity, i) => ({ ...entity!, id: `${entity!.id}/identities/${i}`, parent: entity!.id, body: { provider: identity.provider, id: identity.id } }));
}

export const userIdentityKind: ResourceKind = {
  kind: 'userIdentity',
  armType: 'Microsoft.ApiManagement/service/users/identities',
  label: 'UserIdentity',
  schema: linkSchema,
  fixedEntities: (ctx, parent) => identitiesOf(ctx, parent),
  listItem: (entity) => ({ provider: entity.body.provider, id: entity.body.id }),
};
