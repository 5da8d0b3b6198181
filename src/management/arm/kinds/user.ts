/**
 * Users (reference §5.1): email, first and last name; the password is hashed (password-hash.ts)
 * and never returned or exported. Responses list the groups the user belongs to. Deleting a
 * user removes its group memberships; with `deleteSubscriptions=true` its subscriptions too,
 * otherwise owned subscriptions make the delete a 409. `POST …/users/{u}/token` signs a user
 * token with the tenant access keys (user-token.ts).
 */
import { ArmError } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import { userSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { checkPasswordLength, hashPassword } from '../password-hash.js';
import { userTokenAction } from '../user-token.js';
import { isoNow } from './kind-helpers.js';
import { subscriptionsOwnedBy } from './subscription-queries.js';

export const userKind: ResourceKind = {
  kind: 'user',
  armType: 'Microsoft.ApiManagement/service/users',
  label: 'User',
  schema: userSchema,
  namePattern: /^[^*#&+:<>?\/]{1,80}$/,
  // Hashing is slow on purpose: done before the store transaction, so it never holds the write lock.
  async beforeTransaction(given) {
    if (typeof given.password !== 'string') return undefined;
    checkPasswordLength(given.password);
    return hashPassword(given.password);
  },
  async prepare({ properties, given, existing, prepared, ctx }) {
    const body: Record<string, unknown> = {
      email: properties.email,
      firstName: properties.firstName,
      lastName: properties.lastName,
      state: canonicalEnum(properties.state ?? 'active', ['active', 'blocked', 'pending', 'deleted']),
      registrationDate: existing?.body.registrationDate ?? isoNow(ctx),
      identities: properties.identities ?? [{ provider: 'Basic', id: properties.email }],
    };
    if (properties.note !== undefined) body.note = properties.note;
    // A folder import runs no beforeTransaction: it hashes here.
    if (typeof given.password === 'string') body.password = typeof prepared === 'string' ? prepared : await hashPassword(given.password);
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
  actions: { token: userTokenAction },
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
