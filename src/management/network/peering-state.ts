/**
 * Virtual network peering as Azure reports it: a peering is `Connected` only once the remote
 * network peers back, `Initiated` while only this side exists, `Disconnected` when the remote
 * network is gone. Connected peerings that allow virtual network access on both sides widen the
 * sources a private endpoint or an injected gateway admits (network-settings.ts).
 */
import type { InventoryEntry, NetworkInventory } from './network-inventory.js';
import type { StoredPeering, StoredVirtualNetwork } from './stored-network.js';

export type PeeringState = 'Connected' | 'Initiated' | 'Disconnected';

/** The peering's state, computed from what exists now. */
export function peeringState(inventory: NetworkInventory, localArmId: string, peering: StoredPeering): PeeringState {
  return peeringBack(inventory, localArmId, peering) ? 'Connected' : inventory.virtualNetwork(peering.remoteVirtualNetworkId) ? 'Initiated' : 'Disconnected';
}

/**
 * The address prefixes a network's hosts may come from: its own address space plus that of
 * every network peered Connected with virtual network access allowed by both sides (Azure
 * drops the remote space from the VirtualNetwork tag when either side disallows it).
 */
export function reachableSources(inventory: NetworkInventory, network: InventoryEntry<StoredVirtualNetwork>): string[] {
  const sources = [...network.body.addressPrefixes];
  for (const peering of network.body.peerings) {
    const back = peeringBack(inventory, network.armId, peering);
    if (!back || !peering.allowVirtualNetworkAccess || !back.peering.allowVirtualNetworkAccess) continue;
    for (const prefix of back.remote.body.addressPrefixes) if (!sources.includes(prefix)) sources.push(prefix);
  }
  return sources;
}

/** The remote network and its peering pointing back at `localArmId`, when both exist. */
function peeringBack(
  inventory: NetworkInventory,
  localArmId: string,
  peering: StoredPeering,
): { remote: InventoryEntry<StoredVirtualNetwork>; peering: StoredPeering } | undefined {
  const remote = inventory.virtualNetwork(peering.remoteVirtualNetworkId);
  const back = remote?.body.peerings.find((p) => p.remoteVirtualNetworkId.toLowerCase() === localArmId.toLowerCase());
  return remote && back ? { remote, peering: back } : undefined;
}
