/**
 * A stored virtual network → Azure's ARM shape (issue 4 §2): id, name, type, weak etag,
 * location, tags, and properties with the address space, subnets (each with its own id, type
 * and the private endpoints placed in it) and peerings (with `peeringState` and
 * `remoteAddressSpace` read live from the remote network).
 */
import { resourceGuid, weakEtag } from './network-identity.js';
import type { InventoryEntry, NetworkInventory } from './network-inventory.js';
import { peeringState } from './peering-state.js';
import type { StoredPeering, StoredSubnet, StoredVirtualNetwork } from './stored-network.js';
import { fixedNetworkValues } from './network-schemas.js';

type Network = InventoryEntry<StoredVirtualNetwork>;

/** The ARM body of a virtual network. */
export function renderVirtualNetwork(inventory: NetworkInventory, network: Network): Record<string, unknown> {
  return {
    id: network.armId,
    name: network.ref.name,
    type: 'Microsoft.Network/virtualNetworks',
    etag: weakEtag(network.entity),
    location: network.body.location ?? 'local',
    tags: network.body.tags ?? {},
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: resourceGuid(network.entity.id),
      addressSpace: { addressPrefixes: network.body.addressPrefixes },
      subnets: network.body.subnets.map((s) => renderSubnet(inventory, network, s)),
      virtualNetworkPeerings: network.body.peerings.map((p) => renderPeering(inventory, network, p)),
      ...fixedNetworkValues.network,
    },
  };
}

/** The ARM body of one subnet of the network. */
export function renderSubnet(inventory: NetworkInventory, network: Network, subnet: StoredSubnet): Record<string, unknown> {
  const id = `${network.armId}/subnets/${subnet.name}`;
  return {
    id,
    name: subnet.name,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    etag: weakEtag(network.entity),
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix: subnet.addressPrefix,
      privateEndpoints: inventory.endpointsInSubnet(id).map((e) => ({ id: e.armId })),
      ...fixedNetworkValues.subnet,
    },
  };
}

/** The ARM body of one peering of the network. */
export function renderPeering(inventory: NetworkInventory, network: Network, peering: StoredPeering): Record<string, unknown> {
  const remote = inventory.virtualNetwork(peering.remoteVirtualNetworkId);
  const properties: Record<string, unknown> = {
    provisioningState: 'Succeeded',
    peeringState: peeringState(inventory, network.armId, peering),
    remoteVirtualNetwork: { id: peering.remoteVirtualNetworkId },
    allowVirtualNetworkAccess: peering.allowVirtualNetworkAccess,
    ...fixedNetworkValues.peering,
  };
  if (remote) properties.remoteAddressSpace = { addressPrefixes: remote.body.addressPrefixes };
  return {
    id: `${network.armId}/virtualNetworkPeerings/${peering.name}`,
    name: peering.name,
    type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    etag: weakEtag(network.entity),
    properties,
  };
}
