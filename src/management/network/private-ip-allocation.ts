/**
 * A private endpoint's address in its subnet, as Azure hands them out: a static address must lie
 * inside the subnet prefix, outside the reserved addresses (the first four and the last), and be
 * free; without one, the first free address from the fifth (`x.x.x.4`) is taken. Addresses held
 * by endpoints in other networks count as taken too: the gateway binds one listener per endpoint
 * address on the same host, so two endpoints may never share one.
 */
import { badField, networkRefusal } from './network-errors.js';
import { formatIpAddress, parseIpAddress, prefixContainsAddress, type IpPrefix } from './ip-prefix.js';

/** Addresses Azure keeps for itself at the start of every subnet. */
const reservedAtStart = 4n;

/** A subnet as the allocator sees it. */
export interface AllocationSubnet {
  name: string;
  prefix: IpPrefix;
}

/**
 * The address the endpoint gets: `requested` checked, or the first free one. `taken` maps
 * canonical addresses to the endpoint holding them. Throws ArmError 400.
 */
export function placePrivateIp(subnet: AllocationSubnet, requested: string | undefined, taken: ReadonlyMap<string, string>): string {
  const { prefix } = subnet;
  const lowest = prefix.first + reservedAtStart;
  const highest = prefix.last - 1n;
  if (requested !== undefined) {
    const address = parseIpAddress(requested);
    if (!address) throw badField('properties.ipConfigurations[0].properties.privateIPAddress', `'${requested}' is not an IP address.`);
    if (!prefixContainsAddress(prefix, address)) {
      throw networkRefusal('PrivateIPAddressNotInSubnet', `Private static IP address ${requested} does not belong to the range of subnet prefix ${prefix.text}.`);
    }
    if (address.value < lowest || address.value > highest) {
      throw networkRefusal(
        'PrivateIPAddressInReservedRange',
        `Private static IP address ${requested} falls within reserved IP range of subnet prefix ${prefix.text} (the first four addresses and the last one are reserved).`,
      );
    }
    const text = formatIpAddress(address);
    const holder = taken.get(text);
    if (holder !== undefined) throw networkRefusal('PrivateIPAddressIsAllocated', `Private static IP address ${requested} is already allocated to resource ${holder}.`);
    return text;
  }
  for (let value = lowest; value <= highest; value++) {
    const text = formatIpAddress({ family: prefix.family, value });
    if (!taken.has(text)) return text;
  }
  throw networkRefusal('SubnetIsFull', `Subnet ${subnet.name} with address prefix ${prefix.text} does not have enough capacity for 1 IP address.`);
}
