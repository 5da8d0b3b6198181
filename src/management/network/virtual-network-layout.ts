/**
 * The address layout of one virtual network, checked as Azure checks it before anything is
 * stored: every prefix is CIDR on its network boundary, the address space's prefixes do not
 * overlap, every subnet lies inside the address space and overlaps no other subnet, and names of
 * subnets and peerings are unique. Rules that look at other networks are virtual-network-rules.ts.
 */
import { AddressRangeError } from '../../core/address-ranges.js';
import { NonCanonicalPrefixError, parseIpPrefix, prefixContainsPrefix, prefixesOverlap, type IpPrefix } from './ip-prefix.js';
import { networkRefusal } from './network-errors.js';
import type { StoredVirtualNetwork } from './stored-network.js';

/** Parses a stored or given prefix, turning its problems into Azure's errors. */
export function readPrefix(text: string, owner: string): IpPrefix {
  try {
    return parseIpPrefix(text);
  } catch (err) {
    if (err instanceof NonCanonicalPrefixError) {
      throw networkRefusal(
        'InvalidCIDRNotation',
        `The address prefix ${err.text} of ${owner} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${err.canonical}.`,
      );
    }
    if (err instanceof AddressRangeError) {
      throw networkRefusal(
        'InvalidAddressPrefixFormat',
        `Address prefix ${text} of ${owner} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`,
      );
    }
    throw err;
  }
}

/** Checks the network's own layout; throws ArmError 400 naming the first problem. */
export function checkVirtualNetworkLayout(networkName: string, network: StoredVirtualNetwork): void {
  const space = network.addressPrefixes.map((p) => readPrefix(p, `virtual network ${networkName}`));
  space.forEach((a, i) =>
    space.slice(i + 1).forEach((b) => {
      if (prefixesOverlap(a, b)) {
        throw networkRefusal('VirtualNetworkAddressSpaceOverlaps', `Address space prefixes ${a.text} and ${b.text} of virtual network ${networkName} overlap.`);
      }
    }),
  );
  checkUniqueNames(network.subnets.map((s) => s.name), 'subnet', networkName);
  checkUniqueNames(network.peerings.map((p) => p.name), 'virtual network peering', networkName);
  const subnets = network.subnets.map((s) => ({ name: s.name, prefix: readPrefix(s.addressPrefix, `subnet ${s.name}`) }));
  subnets.forEach((subnet, i) => {
    if (!space.some((range) => prefixContainsPrefix(range, subnet.prefix))) {
      throw networkRefusal(
        'NetcfgSubnetRangeOutsideVnet',
        `Subnet '${subnet.name}' is not valid because its IP address range ${subnet.prefix.text} is outside the IP address range of virtual network '${networkName}' (${network.addressPrefixes.join(', ')}).`,
      );
    }
    const clash = subnets.slice(0, i).find((other) => prefixesOverlap(other.prefix, subnet.prefix));
    if (clash) {
      throw networkRefusal(
        'NetcfgSubnetRangesOverlap',
        `Subnet '${subnet.name}' is not valid because its IP address range ${subnet.prefix.text} overlaps with that of subnet '${clash.name}' (${clash.prefix.text}) in virtual network '${networkName}'.`,
      );
    }
  });
}

function checkUniqueNames(names: readonly string[], what: string, networkName: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name.toLowerCase())) throw networkRefusal('DuplicateResourceName', `Virtual network ${networkName} has more than one ${what} named '${name}'.`);
    seen.add(name.toLowerCase());
  }
}
