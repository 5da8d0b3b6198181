/**
 * The rules a virtual network write or delete must keep across resources (issue 4 §2): a subnet
 * a private endpoint sits in can be neither removed nor re-addressed (Azure's
 * InUseSubnetCannotBeDeleted / InUseSubnetCannotBeUpdated), a peering must name an existing other
 * network, and peered networks may not have overlapping address spaces, whichever side changes.
 */
import type { ArmError } from '../arm/arm-error.js';
import { prefixesOverlap } from './ip-prefix.js';
import { badField, invalidReference, networkRefusal } from './network-errors.js';
import { parseNetworkId } from './network-ids.js';
import { subnetNamed, type InventoryEntry, type NetworkInventory } from './network-inventory.js';
import type { StoredPeering, StoredVirtualNetwork } from './stored-network.js';
import { checkVirtualNetworkLayout, readPrefix } from './virtual-network-layout.js';

/**
 * Checks a virtual network about to be stored under `armId` (replacing `previous` if any) and
 * returns it with peering targets in their stored casing; throws ArmError 400.
 */
export function checkVirtualNetworkWrite(
  inventory: NetworkInventory,
  armId: string,
  name: string,
  next: StoredVirtualNetwork,
  previous: StoredVirtualNetwork | undefined,
): StoredVirtualNetwork {
  checkVirtualNetworkLayout(name, next);
  for (const subnet of previous?.subnets ?? []) {
    const users = inventory.endpointsInSubnet(`${armId}/subnets/${subnet.name}`);
    if (users.length === 0) continue;
    const kept = subnetNamed(next, subnet.name);
    if (!kept) throw subnetInUse(subnet.name, users[0]!.armId);
    if (kept.addressPrefix !== subnet.addressPrefix) {
      throw networkRefusal(
        'InUseSubnetCannotBeUpdated',
        `Subnet ${subnet.name} is in use by ${users[0]!.armId} and its address prefix cannot be changed from ${subnet.addressPrefix}. Delete the resources within the subnet first.`,
      );
    }
  }
  const peerings = next.peerings.map((p, i) => checkPeering(inventory, armId, name, next, p, previous, i));
  for (const other of inventory.virtualNetworks) {
    if (other.armId.toLowerCase() === armId.toLowerCase()) continue;
    if (!other.body.peerings.some((p) => p.remoteVirtualNetworkId.toLowerCase() === armId.toLowerCase())) continue;
    checkNoOverlap(name, next.addressPrefixes, other);
  }
  return { ...next, peerings };
}

/** Refuses deleting a virtual network while a private endpoint sits in one of its subnets. */
export function checkVirtualNetworkDelete(inventory: NetworkInventory, network: InventoryEntry<StoredVirtualNetwork>): void {
  for (const subnet of network.body.subnets) {
    const users = inventory.endpointsInSubnet(`${network.armId}/subnets/${subnet.name}`);
    if (users.length > 0) throw subnetInUse(subnet.name, users[0]!.armId);
  }
}

/** Azure's refusal to delete a subnet (or its network) that a private endpoint uses. */
export function subnetInUse(subnetName: string, endpointId: string): ArmError {
  return networkRefusal(
    'InUseSubnetCannotBeDeleted',
    `Subnet ${subnetName} is in use by ${endpointId} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet.`,
  );
}

function checkPeering(
  inventory: NetworkInventory,
  armId: string,
  name: string,
  next: StoredVirtualNetwork,
  peering: StoredPeering,
  previous: StoredVirtualNetwork | undefined,
  index: number,
): StoredPeering {
  const target = `properties.virtualNetworkPeerings[${index}].properties.remoteVirtualNetwork.id`;
  const ref = parseNetworkId(peering.remoteVirtualNetworkId);
  if (!ref || ref.collection !== 'virtualNetworks' || ref.child) {
    throw badField(target, `must be the id of a virtual network (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/{name}).`);
  }
  if (peering.remoteVirtualNetworkId.toLowerCase() === armId.toLowerCase()) {
    throw networkRefusal('CannotPeerVirtualNetworkWithItself', `Virtual network peering ${peering.name} of ${name} cannot point at its own virtual network.`);
  }
  const remote = inventory.virtualNetwork(peering.remoteVirtualNetworkId);
  if (!remote) {
    // A peering whose remote network was deleted stays (Disconnected) and may be sent back unchanged.
    const unchanged = previous?.peerings.some(
      (p) => p.name.toLowerCase() === peering.name.toLowerCase() && p.remoteVirtualNetworkId.toLowerCase() === peering.remoteVirtualNetworkId.toLowerCase(),
    );
    if (unchanged) return peering;
    throw invalidReference(peering.remoteVirtualNetworkId, `${armId}/virtualNetworkPeerings/${peering.name}`);
  }
  checkNoOverlap(name, next.addressPrefixes, remote);
  return { ...peering, remoteVirtualNetworkId: remote.armId };
}

function checkNoOverlap(name: string, prefixes: readonly string[], remote: InventoryEntry<StoredVirtualNetwork>): void {
  const remoteSpace = remote.body.addressPrefixes.map((p) => readPrefix(p, `virtual network ${remote.ref.name}`));
  for (const text of prefixes) {
    const mine = readPrefix(text, `virtual network ${name}`);
    const clash = remoteSpace.find((r) => prefixesOverlap(r, mine));
    if (clash) {
      throw networkRefusal(
        'VnetAddressSpacesOverlap',
        `Virtual networks ${name} and ${remote.ref.name} cannot be peered because their address spaces overlap. Overlapping address prefixes: ${mine.text}, ${clash.text}.`,
      );
    }
  }
}
