/**
 * Replacing a private endpoint (PUT on an existing one) may change its tags only, as in Azure:
 * its subnet, address, location and private link connection are fixed at creation. Sending them
 * back unchanged (what GET returned) is accepted; changing any is a 400 naming the property.
 */
import { ArmError } from '../arm/arm-error.js';
import { parseIpAddress, formatIpAddress } from './ip-prefix.js';
import type { PrivateEndpointInput } from './private-endpoint-body.js';
import type { StoredPrivateEndpoint } from './stored-network.js';

/** The endpoint as stored after the replacement; throws ArmError 400 when more than tags change. */
export function replacedPrivateEndpoint(stored: StoredPrivateEndpoint, input: PrivateEndpointInput): StoredPrivateEndpoint {
  const same = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
  const refuse = (property: string): never => {
    throw new ArmError(
      400,
      'PropertyChangeNotAllowed',
      `Changing property '${property}' of an existing private endpoint is not allowed. Delete the private endpoint and create it again; only tags can be updated.`,
    );
  };
  if (!same(input.subnetId, stored.subnetId)) refuse('properties.subnet.id');
  if (input.location !== undefined && stored.location !== undefined && !same(input.location.replace(/\s/g, ''), stored.location.replace(/\s/g, ''))) refuse('location');
  const ip = input.ipConfiguration;
  if (ip) {
    const address = parseIpAddress(ip.privateIpAddress);
    if (!address || formatIpAddress(address) !== stored.privateIpAddress) refuse('properties.ipConfigurations[0].properties.privateIPAddress');
    if (stored.ipConfigurationName !== undefined && !same(ip.name, stored.ipConfigurationName)) refuse('properties.ipConfigurations[0].name');
  }
  const existing = stored.connections[0];
  const asked = input.connection;
  const field = asked.manual ? 'properties.manualPrivateLinkServiceConnections' : 'properties.privateLinkServiceConnections';
  if (!existing || existing.manual !== asked.manual || !same(existing.name, asked.name)) refuse(field);
  if (!same(existing!.privateLinkServiceId, asked.privateLinkServiceId)) refuse(`${field}[0].properties.privateLinkServiceId`);
  if (existing!.groupIds.join(',') !== asked.groupIds.join(',')) refuse(`${field}[0].properties.groupIds`);
  if ((existing!.requestMessage ?? '') !== (asked.requestMessage ?? '')) refuse(`${field}[0].properties.requestMessage`);
  const next: StoredPrivateEndpoint = { ...stored };
  if (input.tags !== undefined) next.tags = input.tags;
  else delete next.tags;
  return next;
}
