/**
 * Users (reference §5.1): email, first and last name; the password is sealed and never
 * returned. Responses list the groups the user belongs to. Deleting a user removes its group
 * memberships; with `deleteSubscriptions=true` its subscriptions too, otherwise owned
 * subscriptions make the delete a 409.
 */
import { ArmError } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import { userSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { isoNow } from './kind-helpers.js';
import { subscriptionsOwnedBy } from './subscription-queries.js';

export const userKind: ResourceKind = {
  kind: 'user',
  armType: 'Microsoft.ApiManagement/service/users',
  label: 'User',
  schema: userSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  async prepare({ ctx, properties, given, existing }) {
    const body: Record<string, unknown> = {
      email: properties.email,
      firstName: properties.firstName,
      lastName: properties.lastName,
      state: canonicalEnum(properties.state ?? 'active', ['active', 'blocked', 'pending', 'deleted']),
      registrationDate: existing?.body.registrationDate ?? isoNow(ctx),
      identities: properties.identities ?? [{ provider: 'Basic', id: properties.email }],
    };
    if (properties.note !== undefined) body.note = properties.note;
    if (typeof given.password === 'string') body.password = ctx.sealer.seal(given.password);
    else if (existing?.body.password !== undefined) body.password = existing.body.password;
    return body;
  },
  async present(entity, ctx) {
    const body = { ...entity.body };
    delete body.password;
    const name = entity.id.slice(entity.id.lastIndexOf('/') + 1).toLowerCase();
    const groups: Array<Record<string, unknown>> = [];
    for (const link of (await ctx.tx.list({ kind: 'groupUser' })).items) {
      if (link.id.slice(link.id.lastIndexOf('/') + 1).toLowerCase() !== name) continue;
      const group = await ctx.tx.get(link.parent);
      if (group) groups.push({ ...group.body });
    }
    body.groups = groups;
    return body;
  },
  async beforeDelete(entity, ctx) {
    const owned = await subscriptionsOwnedBy(ctx, entity.id);
    if (owned.length > 0 && ctx.query.get('deleteSubscriptions')?.toLowerCase() !== 'true') {
      throw new ArmError(409, 'Conflict', `User has ${owned.length} subscription(s); delete them first or pass deleteSubscriptions=true.`);
    }
    for (const s of owned) await ctx.tx.delete(s.id);
    const name = entity.id.slice(entity.id.lastIndexOf('/') + 1).toLowerCase();
    for (const link of (await ctx.tx.list({ kind: 'groupUser' })).items) {
      if (link.id.slice(link.id.lastIndexOf('/') + 1).toLowerCase() === name) await ctx.tx.delete(link.id);
    }
  },
};
