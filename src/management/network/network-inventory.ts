/**
 * Every Microsoft.Network entity and service-side connection in one indexed view. Peering states,
 * the endpoints of a subnet, address conflicts and the gateway's NetworkSettings all need to
 * look across resources, so both the HTTP handler (inside its transaction) and the settings
 * derivation (from `store.all()`) build this view from the same entities.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';
import { networkArmId, networkKinds, parseNetworkId, type NetworkResourceRef } from './network-ids.js';
import type { StoredPrivateEndpoint, StoredPrivateEndpointConnection, StoredSubnet, StoredVirtualNetwork } from './stored-network.js';

/** A stored top-level network resource with its ARM identity. */
export interface InventoryEntry<Body> {
  ref: NetworkResourceRef;
  /** ARM id in the casing of creation. */
  armId: string;
  entity: StoredEntity;
  body: Body;
}

/** The indexed view. Lookups take ARM ids or names in any casing. */
export class NetworkInventory {
  readonly virtualNetworks: InventoryEntry<StoredVirtualNetwork>[] = [];
  readonly privateEndpoints: InventoryEntry<StoredPrivateEndpoint>[] = [];
  private readonly networksById = new Map<string, InventoryEntry<StoredVirtualNetwork>>();
  private readonly endpointsById = new Map<string, InventoryEntry<StoredPrivateEndpoint>>();
  private readonly connections = new Map<string, StoredPrivateEndpointConnection>();

  constructor(entities: readonly StoredEntity[]) {
    for (const entity of entities) {
      if (entity.kind === networkKinds.virtualNetwork) {
        const entry = entryOf<StoredVirtualNetwork>(entity);
        this.virtualNetworks.push(entry);
        this.networksById.set(entry.armId.toLowerCase(), entry);
      } else if (entity.kind === networkKinds.privateEndpoint) {
        const entry = entryOf<StoredPrivateEndpoint>(entity);
        this.privateEndpoints.push(entry);
        this.endpointsById.set(entry.armId.toLowerCase(), entry);
      } else if (entity.kind === networkKinds.privateEndpointConnection) {
        this.connections.set(entity.id.slice(entity.id.lastIndexOf('/') + 1).toLowerCase(), entity.body as unknown as StoredPrivateEndpointConnection);
      }
    }
  }

  /** The virtual network with this ARM id. */
  virtualNetwork(armId: string): InventoryEntry<StoredVirtualNetwork> | undefined {
    return this.networksById.get(armId.toLowerCase());
  }

  /** The subnet a subnet ARM id names, with its network; undefined when the id is no subnet id or either is missing. */
  subnet(subnetArmId: string): { network: InventoryEntry<StoredVirtualNetwork>; subnet: StoredSubnet } | undefined {
    const ref = parseNetworkId(subnetArmId);
    if (ref?.collection !== 'virtualNetworks' || ref.child?.collection !== 'subnets') return undefined;
    const network = this.virtualNetwork(networkArmId({ ...ref, child: undefined }));
    const subnet = network && subnetNamed(network.body, ref.child.name);
    return network && subnet ? { network, subnet } : undefined;
  }

  /** The private endpoint with this ARM id. */
  privateEndpoint(armId: string): InventoryEntry<StoredPrivateEndpoint> | undefined {
    return this.endpointsById.get(armId.toLowerCase());
  }

  /** The service-side connection of this name, as the service side last left it. */
  connection(name: string): StoredPrivateEndpointConnection | undefined {
    return this.connections.get(name.toLowerCase());
  }

  /** How many service-side connections exist. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** The private endpoints placed in a subnet (by the subnet's ARM id). */
  endpointsInSubnet(subnetArmId: string): InventoryEntry<StoredPrivateEndpoint>[] {
    const wanted = subnetArmId.toLowerCase();
    return this.privateEndpoints.filter((e) => e.body.subnetId.toLowerCase() === wanted);
  }
}

/** The subnet of `network` with this name (names compare case-insensitively). */
export function subnetNamed(network: Pick<StoredVirtualNetwork, 'subnets'>, name: string): StoredSubnet | undefined {
  const wanted = name.toLowerCase();
  return network.subnets.find((s) => s.name.toLowerCase() === wanted);
}

/** Reads the three kinds inside a transaction and indexes them. */
export async function loadNetworkInventory(tx: Pick<EntityTransaction, 'list'>): Promise<NetworkInventory> {
  const kinds = [networkKinds.virtualNetwork, networkKinds.privateEndpoint, networkKinds.privateEndpointConnection];
  const lists = await Promise.all(kinds.map((kind) => tx.list({ kind })));
  return new NetworkInventory(lists.flatMap((l) => l.items));
}

/** `msnetwork/{s}/{rg}/{collection}/{name}` → the ref it stores. */
export function refOfStoreId(storeId: string): NetworkResourceRef {
  const [, subscriptionId, resourceGroup, collection, name] = storeId.split('/');
  return { subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, collection: collection as NetworkResourceRef['collection'], name: name! };
}

function entryOf<Body>(entity: StoredEntity): InventoryEntry<Body> {
  const ref = refOfStoreId(entity.id);
  return { ref, armId: networkArmId(ref), entity, body: entity.body as unknown as Body };
}
