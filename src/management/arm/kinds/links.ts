/**
 * Link resources (reference §5.1): an API in a product, a group's access to a product, a user
 * in a group, an API served by a self-hosted gateway. A PUT takes no properties and answers the linked resource; the target must exist.
 */
import { notFound } from '../arm-error.js';
import { linkSchema } from '../resource-schemas.js';
import type { ResourceKind } from '../resource-kind.js';

/**
 * A link kind: `kind` stored below its parent, naming a `targetCollection` entity by its own name.
 * `head` is what Azure's HEAD on it is: checkEntityExists (204) or getEntityTag (200).
 */
export function linkKind(kind: string, armType: string, label: string, targetCollection: string, targetLabel: string, head: 'checkEntityExists' | 'getEntityTag'): ResourceKind {
  return {
    kind,
    armType,
    label,
    schema: linkSchema,
    namePattern: /^[^*#&+:<>?\/;]{1,256}$/,
    linkTarget: (name) => `${targetCollection}/${name}`,
    headChecksExistence: head === 'checkEntityExists',
    async prepare({ ctx, name }) {
      const target = await ctx.tx.get(`${targetCollection}/${name}`);
      if (!target) throw notFound(targetLabel);
      return {};
    },
  };
}

export const productApiKind = linkKind('productApi', 'Microsoft.ApiManagement/service/apis', 'Api', 'apis', 'Api', 'checkEntityExists');
export const productGroupKind = linkKind('productGroup', 'Microsoft.ApiManagement/service/products/groups', 'Group', 'groups', 'Group', 'checkEntityExists');
export const groupUserKind = linkKind('groupUser', 'Microsoft.ApiManagement/service/groups/users', 'User', 'users', 'User', 'checkEntityExists');
export const gatewayApiKind = linkKind('gatewayApi', 'Microsoft.ApiManagement/service/gateways/apis', 'Api', 'apis', 'Api', 'getEntityTag');
