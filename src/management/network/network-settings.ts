/**
 * The gateway's NetworkSettings derived from the store (issue 4, DESIGN.md "The network is
 * configuration"): the service's `publicNetworkAccess` and `virtualNetworkType`, the injected
 * subnet, and one listener per approved private endpoint connection whose provisioning has not
 * failed, bound to its endpoint's address and admitting the endpoint's network plus networks
 * peered with it (Connected, access allowed both ways; peering-state.ts).
 */
import type { StoredEntity } from '../../core/entity-store.js';
import type { NetworkSettings, PrivateEndpointListener, VirtualNetworkInjection } from '../../model/network.js';
import { serviceStoreId } from '../arm/service-resource.js';
import { NetworkInventory } from './network-inventory.js';
import { reachableSources } from './peering-state.js';
import { gatewayGroupId } from './private-link-target.js';
import { publicNetworkAccessOf, virtualNetworkTypeOf } from './service-network-properties.js';

/** Derives the network settings from every stored entity (`store.all()`). */
export function networkSettingsFromEntities(entities: readonly StoredEntity[]): NetworkSettings {
  const inventory = new NetworkInventory(entities);
  const service = entities.find((e) => e.id.toLowerCase() === serviceStoreId)?.body ?? {};
  const vnetType = virtualNetworkTypeOf(service);
  const settings: NetworkSettings = {
    publicNetworkAccess: publicNetworkAccessOf(service),
    virtualNetworkType: vnetType,
    privateEndpoints: listeners(inventory),
  };
  const config = service.virtualNetworkConfiguration as { subnetResourceId?: unknown } | undefined;
  if (vnetType !== 'None' && typeof config?.subnetResourceId === 'string') {
    const injection = injectionInto(inventory, config.subnetResourceId);
    if (injection) settings.injection = injection;
  }
  return settings;
}

function listeners(inventory: NetworkInventory): PrivateEndpointListener[] {
  const out: PrivateEndpointListener[] = [];
  for (const endpoint of inventory.privateEndpoints) {
    const network = inventory.subnet(endpoint.body.subnetId)?.network;
    // An endpoint whose network is gone has nowhere to admit callers from (deleting a used network is refused).
    if (!network) continue;
    for (const link of endpoint.body.connections) {
      const connection = inventory.connection(link.serviceConnectionName);
      if (!connection || connection.status !== 'Approved' || connection.provisioningState === 'Failed') continue;
      out.push({
        connectionName: link.serviceConnectionName,
        groupId: gatewayGroupId,
        memberName: gatewayGroupId,
        privateIpAddress: endpoint.body.privateIpAddress,
        allowedSources: reachableSources(inventory, network),
      });
    }
  }
  return out;
}

function injectionInto(inventory: NetworkInventory, subnetId: string): VirtualNetworkInjection | undefined {
  const found = inventory.subnet(subnetId);
  if (!found) return undefined;
  return { subnetId, subnetPrefix: found.subnet.addressPrefix, allowedSources: reachableSources(inventory, found.network) };
}
