/**
 * Products (reference §5.2): `subscriptionRequired` defaults to true; `approvalRequired` and
 * `subscriptionsLimit` only make sense with it. Deleting a product with subscriptions needs
 * `deleteSubscriptions=true`, as in Azure.
 */
import { ArmError, invalidField } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import { productSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';
import { subscriptionsScopedTo } from './subscription-queries.js';

export const productKind: ResourceKind = {
  kind: 'product',
  armType: 'Microsoft.ApiManagement/service/products',
  label: 'Product',
  schema: productSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  async prepare({ properties }) {
    const body: Record<string, unknown> = { ...properties };
    body.subscriptionRequired = properties.subscriptionRequired ?? true;
    body.state = canonicalEnum(properties.state ?? 'notPublished', ['notPublished', 'published']);
    if (body.subscriptionRequired === false) {
      if (properties.approvalRequired === true) {
        throw invalidField('approvalRequired', 'approvalRequired can be set only when subscriptionRequired is true.');
      }
      if (properties.subscriptionsLimit !== undefined && properties.subscriptionsLimit !== null) {
        throw invalidField('subscriptionsLimit', 'subscriptionsLimit can be set only when subscriptionRequired is true.');
      }
    } else {
      body.approvalRequired = properties.approvalRequired ?? false;
    }
    return body;
  },
  async beforeDelete(entity, ctx) {
    const subscriptions = await subscriptionsScopedTo(ctx, entity.id);
    if (subscriptions.length === 0) return;
    if (ctx.query.get('deleteSubscriptions')?.toLowerCase() !== 'true') {
      throw new ArmError(409, 'Conflict', `Product has ${subscriptions.length} subscription(s); delete them first or pass deleteSubscriptions=true.`);
    }
    for (const s of subscriptions) await ctx.tx.delete(s.id);
  },
};
