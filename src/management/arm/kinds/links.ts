/**
 * Link resources (reference §5.1): an API in a product, a group's access to a product, a user
 * in a group, an API served by a self-hosted gateway. A PUT takes no properties and answers the linked resource; the target must exist.
 */
import { notFound } from '../arm-error.js';
import { linkSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

/** A link kind: `kind` stored below its parent, naming a `targetCollection` entity by its own name. */
export function linkKind(kind: string, armType: string, label: string, targetCollection: string, targetLabel: string): ResourceKind {
  return {
    kind,
    armType,
    label,
    schema: linkSchema,
    namePattern: /^[^*#&+:<>?\/;]{1,256}$/,
    linkTarget: (name) => `${targetCollection}/${name}`,
    async prepare({ ctx, name }) {
      const target = await ctx.tx.get(`${targetCollection}/${name}`);
      if (!target) throw notFound(targetLabel);
      return {};
    },
  };
}

export const productApiKind = linkKind('productApi', 'Microsoft.ApiManagement/service/apis', 'Api', 'apis', 'Api');
export const productGroupKind = linkKind('productGroup', 'Microsoft.ApiManagement/service/products/groups', 'Group', 'groups', 'Group');
export const groupUserKind = linkKind('groupUser', 'Microsoft.ApiManagement/service/groups/users', 'User', 'users', 'User');
export const gatewayApiKind = linkKind('gatewayApi', 'Microsoft.ApiManagement/service/gateways/apis', 'Api', 'apis', 'Api');
