/**
 * Reads the bodies of `virtualNetworks/{v}` and of its `subnets/{s}` and
 * `virtualNetworkPeerings/{p}` children (Azure's shapes, issue 4 §2) into the stored form. Only
 * the shape is checked here; address layout is virtual-network-layout.ts and rules that look at
 * other resources are virtual-network-rules.ts.
 */
import { badField } from './network-errors.js';
import {
  booleanField,
  checkKeys,
  checkResourceName,
  objectArrayField,
  objectField,
  readEnvelope,
  requiredString,
  stringArrayField,
  type JsonObject,
  type KeyAllowance,
} from './network-body.js';
import type { StoredPeering, StoredSubnet, StoredVirtualNetwork } from './stored-network.js';

const childEnvelope: KeyAllowance = { writable: ['name', 'properties'], readOnly: ['id', 'type', 'etag'] };
const networkProperties: KeyAllowance = {
  writable: ['addressSpace', 'subnets', 'virtualNetworkPeerings'],
  readOnly: ['provisioningState', 'resourceGuid'],
  fixed: { enableDdosProtection: false },
};
const subnetProperties: KeyAllowance = {
  writable: ['addressPrefix'],
  readOnly: ['provisioningState', 'privateEndpoints'],
  fixed: { privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled' },
};
const peeringProperties: KeyAllowance = {
  writable: ['remoteVirtualNetwork', 'allowVirtualNetworkAccess'],
  readOnly: ['provisioningState', 'peeringState', 'remoteAddressSpace'],
  fixed: { allowForwardedTraffic: false, allowGatewayTransit: false, useRemoteGateways: false },
};

/** The Gatehouse-rendered values of the fixed keys, for the renderers. */
export const fixedNetworkValues = { network: networkProperties.fixed!, subnet: subnetProperties.fixed!, peering: peeringProperties.fixed! };

/** Reads a virtual network PUT body; throws ArmError 400. */
export function readVirtualNetworkBody(body: JsonObject | undefined): StoredVirtualNetwork {
  const envelope = readEnvelope(body);
  const properties = envelope.properties;
  checkKeys(properties, 'properties', networkProperties);
  const addressSpace = objectField(properties.addressSpace, 'properties.addressSpace');
  if (addressSpace) checkKeys(addressSpace, 'properties.addressSpace', { writable: ['addressPrefixes'] });
  const addressPrefixes = stringArrayField(addressSpace?.addressPrefixes, 'properties.addressSpace.addressPrefixes');
  if (!addressPrefixes || addressPrefixes.length === 0) {
    throw badField('properties.addressSpace.addressPrefixes', 'is required and must list at least one CIDR prefix.');
  }
  const subnets = (objectArrayField(properties.subnets, 'properties.subnets') ?? []).map((item, i) => {
    const target = `properties.subnets[${i}]`;
    checkKeys(item, target, childEnvelope);
    return readSubnet(requiredString(item.name, `${target}.name`), item.properties, `${target}.properties`);
  });
  const peerings = (objectArrayField(properties.virtualNetworkPeerings, 'properties.virtualNetworkPeerings') ?? []).map((item, i) => {
    const target = `properties.virtualNetworkPeerings[${i}]`;
    checkKeys(item, target, childEnvelope);
    return readPeering(requiredString(item.name, `${target}.name`), item.properties, `${target}.properties`);
  });
  const network: StoredVirtualNetwork = { addressPrefixes: addressPrefixes.map((p) => p.trim()), subnets, peerings };
  if (envelope.location !== undefined) network.location = envelope.location;
  if (envelope.tags !== undefined) network.tags = envelope.tags;
  return network;
}

/** Reads a `subnets/{name}` PUT body. */
export function readSubnetBody(name: string, body: JsonObject | undefined): StoredSubnet {
  if (body === undefined) throw badField('properties', 'is required: the request has no body.');
  checkKeys(body, '', childEnvelope);
  return readSubnet(name, body.properties, 'properties');
}

/** Reads a `virtualNetworkPeerings/{name}` PUT body. */
export function readPeeringBody(name: string, body: JsonObject | undefined): StoredPeering {
  if (body === undefined) throw badField('properties', 'is required: the request has no body.');
  checkKeys(body, '', childEnvelope);
  return readPeering(name, body.properties, 'properties');
}

function readSubnet(name: string, value: unknown, target: string): StoredSubnet {
  checkResourceName(name);
  const properties = objectField(value, target);
  if (!properties) throw badField(`${target}.addressPrefix`, 'is required.');
  checkKeys(properties, target, subnetProperties);
  return { name, addressPrefix: requiredString(properties.addressPrefix, `${target}.addressPrefix`).trim() };
}

function readPeering(name: string, value: unknown, target: string): StoredPeering {
  checkResourceName(name);
  const properties = objectField(value, target);
  if (!properties) throw badField(`${target}.remoteVirtualNetwork.id`, 'is required.');
  checkKeys(properties, target, peeringProperties);
  const remote = objectField(properties.remoteVirtualNetwork, `${target}.remoteVirtualNetwork`);
  if (remote) checkKeys(remote, `${target}.remoteVirtualNetwork`, { writable: ['id'] });
  return {
    name,
    remoteVirtualNetworkId: requiredString(remote?.id, `${target}.remoteVirtualNetwork.id`),
    allowVirtualNetworkAccess: booleanField(properties.allowVirtualNetworkAccess, `${target}.allowVirtualNetworkAccess`) ?? true,
  };
}
