/**
 * Writes Microsoft.Network resources and service-side private endpoint connections straight into
 * a store, in the stored shapes of src/management/network/stored-network.ts, so the service side
 * of Private Link can be tested on its own (the Microsoft.Network HTTP side is tested apart).
 */
import type { EntityStore } from '../../../src/core/entity-store.js';
import { servicePath } from './arm-harness.js';
import { connectionStoreId, networkArmId, networkKinds, networkStoreId } from '../../../src/management/network/network-ids.js';
import type {
  ConnectionProvisioningState,
  ConnectionStatus,
  StoredPrivateEndpoint,
  StoredPrivateEndpointConnection,
  StoredVirtualNetwork,
} from '../../../src/management/network/stored-network.js';

export const seedSubscription = 'sub1';
export const seedGroup = 'rg-net';

/** The ARM id of a seeded virtual network's subnet. */
export function subnetId(vnet: string, subnet: string): string {
  return networkArmId({ subscriptionId: seedSubscription, resourceGroup: seedGroup, collection: 'virtualNetworks', name: vnet, child: { collection: 'subnets', name: subnet } });
}

/** The ARM id of a seeded private endpoint. */
export function privateEndpointId(name: string): string {
  return networkArmId({ subscriptionId: seedSubscription, resourceGroup: seedGroup, collection: 'privateEndpoints', name });
}

/** Stores a virtual network with the given subnets (`name` → address prefix). */
export async function seedVirtualNetwork(store: EntityStore, name: string, addressPrefix: string, subnets: Record<string, string>): Promise<void> {
  const body: StoredVirtualNetwork = {
    location: 'local',
    addressPrefixes: [addressPrefix],
    subnets: Object.entries(subnets).map(([subnet, prefix]) => ({ name: subnet, addressPrefix: prefix })),
    peerings: [],
  };
  const id = networkStoreId({ subscriptionId: seedSubscription, resourceGroup: seedGroup, collection: 'virtualNetworks', name });
  await store.transaction('seed', (tx) => tx.put({ kind: networkKinds.virtualNetwork, id, parent: '', body: body as unknown as Record<string, unknown> }));
}

/** What a seeded connection starts as. */
export interface SeededConnection {
  /** The connection's name (also used for the private endpoint's name). */
  name: string;
  vnet: string;
  subnet: string;
  address: string;
  status?: ConnectionStatus;
  provisioningState?: ConnectionProvisioningState;
  actionsRequired?: string;
  description?: string;
  /** ARM id of the service the endpoint targets (default: the harness's). */
  service?: string;
}

/** Stores a private endpoint in `vnet/subnet` and the service-side connection it opened. */
export async function seedConnection(store: EntityStore, c: SeededConnection): Promise<void> {
  const endpoint: StoredPrivateEndpoint = {
    location: 'local',
    subnetId: subnetId(c.vnet, c.subnet),
    privateIpAddress: c.address,
    connections: [
      {
        name: c.name,
        manual: (c.status ?? 'Pending') === 'Pending',
        privateLinkServiceId: c.service ?? servicePath,
        groupIds: ['Gateway'],
        requestMessage: 'Please approve my request, thanks',
        serviceConnectionName: c.name,
      },
    ],
  };
  const connection: StoredPrivateEndpointConnection = {
    privateEndpointId: privateEndpointId(c.name),
    status: c.status ?? 'Pending',
    description: c.description ?? 'Please approve my request, thanks',
    actionsRequired: c.actionsRequired ?? 'None',
    provisioningState: c.provisioningState ?? (c.status === 'Approved' ? 'Succeeded' : 'Pending'),
    groupIds: ['Gateway'],
    requestMessage: 'Please approve my request, thanks',
  };
  const endpointId = networkStoreId({ subscriptionId: seedSubscription, resourceGroup: seedGroup, collection: 'privateEndpoints', name: c.name });
  await store.transaction('seed', async (tx) => {
    await tx.put({ kind: networkKinds.privateEndpoint, id: endpointId, parent: '', body: endpoint as unknown as Record<string, unknown> });
    await tx.put({ kind: networkKinds.privateEndpointConnection, id: connectionStoreId(c.name), parent: '', body: connection as unknown as Record<string, unknown> });
  });
}
