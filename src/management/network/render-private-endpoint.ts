/**
 * A stored private endpoint → Azure's ARM shape (issue 4 §2). The connection state is read live
 * from the service-side `privateEndpointConnections` entity, so approving or rejecting it there
 * shows here; a connection the service side deleted reads `Disconnected`. `customDnsConfigs`
 * tells the operator which name to point at the address (zone privatelink.azure-api.net,
 * reference §6.2).
 */
import { resourceGuid, weakEtag } from './network-identity.js';
import type { InventoryEntry, NetworkInventory } from './network-inventory.js';
import { gatewayGroupId } from './private-link-target.js';
import type { StoredLinkServiceConnection, StoredPrivateEndpoint } from './stored-network.js';

/** The `ipConfigurations` name used when the client gave no static address. */
export const defaultIpConfigurationName = 'gateway-ipconfig';

/** The ARM body of a private endpoint. */
export function renderPrivateEndpoint(inventory: NetworkInventory, endpoint: InventoryEntry<StoredPrivateEndpoint>, serviceName: string): Record<string, unknown> {
  const { body, armId } = endpoint;
  const etag = weakEtag(endpoint.entity);
  const connections = body.connections.map((c) => renderConnection(inventory, armId, etag, c));
  const ipConfigurationName = body.ipConfigurationName ?? defaultIpConfigurationName;
  return {
    id: armId,
    name: endpoint.ref.name,
    type: 'Microsoft.Network/privateEndpoints',
    etag,
    location: body.location ?? 'local',
    tags: body.tags ?? {},
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: resourceGuid(endpoint.entity.id),
      subnet: { id: body.subnetId },
      ipConfigurations: [
        {
          id: `${armId}/ipConfigurations/${ipConfigurationName}`,
          name: ipConfigurationName,
          type: 'Microsoft.Network/privateEndpoints/ipConfigurations',
          etag,
          properties: { groupId: gatewayGroupId, memberName: gatewayGroupId, privateIPAddress: body.privateIpAddress },
        },
      ],
      networkInterfaces: [],
      privateLinkServiceConnections: connections.filter((_, i) => !body.connections[i]!.manual),
      manualPrivateLinkServiceConnections: connections.filter((_, i) => body.connections[i]!.manual),
      customDnsConfigs: [{ fqdn: `${serviceName}.azure-api.net`, ipAddresses: [body.privateIpAddress] }],
    },
  };
}

function renderConnection(inventory: NetworkInventory, endpointId: string, etag: string, connection: StoredLinkServiceConnection): Record<string, unknown> {
  const serviceSide = inventory.connection(connection.serviceConnectionName);
  const state = serviceSide
    ? { status: serviceSide.status, description: serviceSide.description, actionsRequired: serviceSide.actionsRequired }
    : { status: 'Disconnected', description: 'The private endpoint connection was deleted by the service owner.', actionsRequired: 'None' };
  const properties: Record<string, unknown> = {
    provisioningState: 'Succeeded',
    privateLinkServiceId: connection.privateLinkServiceId,
    groupIds: connection.groupIds,
    privateLinkServiceConnectionState: state,
  };
  if (connection.requestMessage !== undefined) properties.requestMessage = connection.requestMessage;
  const collection = connection.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections';
  return { id: `${endpointId}/${collection}/${connection.name}`, name: connection.name, type: 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections', etag, properties };
}
