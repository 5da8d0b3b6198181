/**
 * Subscriptions (reference §5.2): scope `/apis`, `/apis/{id}` or `/products/{id}` (full ids
 * accepted, stored as full ids), optional owner `/users/{id}`, keys generated when absent.
 * Keys are sealed at rest, never returned by GET, read with `listSecrets`, replaced with
 * `regeneratePrimaryKey`/`regenerateSecondaryKey`. A new subscription is `submitted` unless a
 * state is given.
 */
import { generateSubscriptionKey } from '../../apiops/generate-subscription-key.js';
import { invalidField } from '../arm-error.js';
import { relativeReference, resourceId } from '../arm-ids.js';
import { canonicalEnum } from '../canonical-enum.js';
import { subscriptionSchema } from '../resource-schemas.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import type { StoredEntity } from '../../../core/entity-store.js';
import { isoNow, referencedEntity } from './kind-helpers.js';

const states = ['suspended', 'active', 'expired', 'submitted', 'rejected', 'cancelled'];

async function normalizeScope(ctx: KindContext, scope: string): Promise<string> {
  const path = relativeReference(scope);
  // The service itself: the all-access ("master") subscription's scope.
  if (path === '' && scope.trim() !== '') return resourceId(ctx.service, '');
  if (path.toLowerCase() === 'apis') return resourceId(ctx.service, 'apis');
  const collection = path.split('/')[0]?.toLowerCase();
  if (collection === 'apis') return resourceId(ctx.service, (await referencedEntity(ctx, scope, 'scope', 'apis', 'Api')).id);
  if (collection === 'products') return resourceId(ctx.service, (await referencedEntity(ctx, scope, 'scope', 'products', 'Product')).id);
  throw invalidField('scope', `'${scope}' is not a valid subscription scope: use /apis, /apis/{apiId}, /products/{productId} or the service id.`);
}

async function regenerate(entity: StoredEntity, ctx: KindContext, field: 'primaryKey' | 'secondaryKey') {
  await ctx.tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, [field]: ctx.sealer.seal(generateSubscriptionKey()) } }, { ifMatch: entity.etag });
  return { status: 204 };
}

export const subscriptionKind: ResourceKind = {
  kind: 'subscription',
  armType: 'Microsoft.ApiManagement/service/subscriptions',
  label: 'Subscription',
  schema: subscriptionSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  async prepare({ ctx, properties, given, existing }) {
    const body: Record<string, unknown> = { ...properties };
    body.scope = await normalizeScope(ctx, String(properties.scope));
    if (typeof properties.ownerId === 'string' && properties.ownerId !== '') {
      body.ownerId = resourceId(ctx.service, (await referencedEntity(ctx, properties.ownerId, 'ownerId', 'users', 'User')).id);
    }
    body.state = canonicalEnum(properties.state ?? existing?.body.state ?? 'submitted', states);
    body.createdDate = existing?.body.createdDate ?? isoNow(ctx);
    for (const field of ['primaryKey', 'secondaryKey'] as const) {
      if (typeof given[field] === 'string') body[field] = ctx.sealer.seal(given[field] as string);
      else if (typeof existing?.body[field] === 'string') body[field] = existing.body[field];
      else body[field] = ctx.sealer.seal(generateSubscriptionKey());
    }
    if (existing?.body.state !== body.state) {
      const at = isoNow(ctx);
      if (body.state === 'active' && !body.startDate) body.startDate = at.slice(0, 10) + 'T00:00:00Z';
      if (body.state === 'cancelled' || body.state === 'expired') body.endDate = at;
    }
    return body;
  },
  async present(entity) {
    const body = { ...entity.body };
    delete body.primaryKey;
    delete body.secondaryKey;
    return body;
  },
  actions: {
    async listSecrets(entity, ctx) {
      return {
        status: 200,
        body: {
          primaryKey: ctx.sealer.open(String(entity.body.primaryKey)),
          secondaryKey: ctx.sealer.open(String(entity.body.secondaryKey)),
        },
      };
    },
    regeneratePrimaryKey: (entity, ctx) => regenerate(entity, ctx, 'primaryKey'),
    regenerateSecondaryKey: (entity, ctx) => regenerate(entity, ctx, 'secondaryKey'),
  },
};
