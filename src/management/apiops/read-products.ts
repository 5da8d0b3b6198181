/** A stored product's properties as the gateway's model (reference §5.2 "Product"); read by store-config/service-config-from-entities.ts. */
import type { Product } from '../../model/resources.js';
import type { JsonFields } from './json-fields.js';

/** A product's own properties (ARM `properties`) → the model, without its links and policy. */
export function productFromProperties(name: string, p: JsonFields): Product {
  const limit = p.raw('subscriptionsLimit');
  if (limit !== undefined && limit !== null) p.integer('subscriptionsLimit');
  return {
    name,
    displayName: p.requiredString('displayName', true),
    description: p.string('description'),
    terms: p.string('terms'),
    // Reference §5.2: omitted subscriptionRequired means a protected product.
    subscriptionRequired: p.boolean('subscriptionRequired') ?? true,
    approvalRequired: p.boolean('approvalRequired'),
    subscriptionsLimit: limit === undefined ? undefined : (limit as number | null),
    state: p.enumValue('state', ['notPublished', 'published'] as const) ?? 'notPublished',
    apis: [],
    groups: [],
  };
}
