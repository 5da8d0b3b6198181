/**
 * The service's private link resources (reference §6.2): the one sub-resource a private endpoint
 * may target, `Gateway`, with the DNS zone clients resolve it in. Nothing about it is
 * configurable, so it is served without being stored and any write is refused.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import type { ResourceKind } from '../resource-kind.js';
import { privateLinkResourceSchema } from '../resource-schemas.js';

/** The only group id a private endpoint may name when it targets the service. */
export const gatewayGroupId = 'Gateway';

const gateway: StoredEntity = {
  kind: 'privateLinkResource',
  id: `privateLinkResources/${gatewayGroupId}`,
  parent: '',
  body: { groupId: gatewayGroupId, requiredMembers: [gatewayGroupId], requiredZoneNames: ['privateLink.azure-api.net'] },
  etag: 'gateway-private-link-resource',
  updatedAt: '1970-01-01T00:00:00.000Z',
};

export const privateLinkResourceKind: ResourceKind = {
  kind: gateway.kind,
  armType: 'Microsoft.ApiManagement/service/privateLinkResources',
  label: 'PrivateLinkResource',
  schema: privateLinkResourceSchema,
  fixedEntities: () => [gateway],
  async present(entity) {
    return structuredClone(entity.body);
  },
};
