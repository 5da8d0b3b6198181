/**
 * The request-body schemas of the Microsoft.Network resources Gatehouse serves (virtual networks,
 * their subnets and peerings, private endpoints), built from Azure's definitions in
 * azure-spec/network-definitions.json (see the README there) with the management API's machinery
 * (arm/spec-validator.ts). The extract already refuses, by name, every property Azure defines and
 * Gatehouse does not implement; what is listed here is where Gatehouse differs: values it renders
 * and cannot change (accepted with that value only), and properties a GET answers that Azure does
 * not mark read-only (accepted and ignored, so a body read with GET can be sent back).
 */
import { definitionSet } from '../arm/spec-definitions.js';
import { kindSchema, type KindSchema } from '../arm/spec-validator.js';
import type { JsonSchema } from '../arm/spec-definitions.js';
// Imported, not read from disk: tsc copies the file to dist/ beside this module.
import networkDefinitionsFile from './azure-spec/network-definitions.json' with { type: 'json' };

const networkDefinitions = definitionSet(networkDefinitionsFile);

/** The values Gatehouse renders for settings it does not model (no DDoS plans, no NSGs, no gateways). */
export const fixedNetworkValues = {
  network: { enableDdosProtection: false },
  subnet: { privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled' },
  peering: { allowForwardedTraffic: false, allowGatewayTransit: false, useRemoteGateways: false },
} as const;

const answered: JsonSchema = { readOnly: true };

/** `record`'s keys under `prefix` (`properties.subnets[].properties.` + key). */
function under<T>(prefix: string, record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
}

// A child (subnet, peering, connection) answers its id and type; a PUT reads its name from the path or body.
const childEcho = { id: answered, type: answered };
const peeringEcho = { ...childEcho, 'properties.remoteAddressSpace': answered, 'properties.peeringState': answered };

/** virtualNetworks/{v}: VirtualNetworks_CreateOrUpdate takes VirtualNetwork. */
export const virtualNetworkSchema: KindSchema = kindSchema({
  definitions: networkDefinitions,
  put: 'VirtualNetwork',
  readOnly: ['id'],
  fixed: {
    ...under('properties.', fixedNetworkValues.network),
    ...under('properties.subnets[].properties.', fixedNetworkValues.subnet),
    ...under('properties.virtualNetworkPeerings[].properties.', fixedNetworkValues.peering),
  },
  amend: { ...under('properties.subnets[].', childEcho), ...under('properties.virtualNetworkPeerings[].', peeringEcho) },
});

/** virtualNetworks/{v}/subnets/{s}: Subnets_CreateOrUpdate takes Subnet. */
export const subnetSchema: KindSchema = kindSchema({
  definitions: networkDefinitions,
  put: 'Subnet',
  readOnly: ['id', 'type'],
  fixed: under('properties.', fixedNetworkValues.subnet),
});

/** virtualNetworks/{v}/virtualNetworkPeerings/{p}: VirtualNetworkPeerings_CreateOrUpdate takes VirtualNetworkPeering. */
export const peeringSchema: KindSchema = kindSchema({
  definitions: networkDefinitions,
  put: 'VirtualNetworkPeering',
  readOnly: ['id', 'type'],
  fixed: under('properties.', fixedNetworkValues.peering),
  amend: { 'properties.remoteAddressSpace': answered, 'properties.peeringState': answered },
});

const subnetById = 'a private endpoint names its subnet by id; a subnet is written at …/virtualNetworks/{v}/subnets/{s}';
const connectionEcho = { id: answered, 'properties.privateLinkServiceConnectionState': answered };

/** privateEndpoints/{pe}: PrivateEndpoints_CreateOrUpdate takes PrivateEndpoint. */
export const privateEndpointSchema: KindSchema = kindSchema({
  definitions: networkDefinitions,
  put: 'PrivateEndpoint',
  readOnly: ['id'],
  amend: {
    'properties.customDnsConfigs': answered,
    ...under('properties.privateLinkServiceConnections[].', connectionEcho),
    ...under('properties.manualPrivateLinkServiceConnections[].', connectionEcho),
    // Not in Azure's definition, but Gatehouse's GET answers them (an IP configuration's id as
    // Azure's own responses do, the resourceGuid as a virtual network's).
    'properties.ipConfigurations[].id': answered,
    'properties.resourceGuid': answered,
  },
  notSupported: { 'properties.subnet.name': subnetById, 'properties.subnet.type': subnetById, 'properties.subnet.properties': subnetById },
});
