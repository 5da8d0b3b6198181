/**
 * Reads the bodies of `virtualNetworks/{v}` and of its `subnets/{s}` and
 * `virtualNetworkPeerings/{p}` children (Azure's shapes, issue 4 §2) into the stored form. Only
 * the fields Gatehouse stores are read here (Azure's definition was checked first,
 * network-schemas.ts); address layout is virtual-network-layout.ts and rules that look at
 * other resources are virtual-network-rules.ts.
 */
import { badField } from './network-errors.js';
import {
  booleanField,
  checkedBody,
  checkResourceName,
  objectArrayField,
  objectField,
  readEnvelope,
  requiredString,
  stringArrayField,
  type JsonObject,
} from './network-body.js';
import { peeringSchema, subnetSchema, virtualNetworkSchema } from './network-schemas.js';
import type { StoredPeering, StoredSubnet, StoredVirtualNetwork } from './stored-network.js';

/** Reads a virtual network PUT body; throws ArmError 400. */
export function readVirtualNetworkBody(body: JsonObject | undefined): StoredVirtualNetwork {
  const envelope = readEnvelope(virtualNetworkSchema, body);
  const properties = envelope.properties;
  const addressSpace = objectField(properties.addressSpace, 'properties.addressSpace');
  const addressPrefixes = stringArrayField(addressSpace?.addressPrefixes, 'properties.addressSpace.addressPrefixes');
  if (!addressPrefixes || addressPrefixes.length === 0) {
    throw badField('properties.addressSpace.addressPrefixes', 'is required and must list at least one CIDR prefix.');
  }
  const subnets = (objectArrayField(properties.subnets, 'properties.subnets') ?? []).map((item, i) => {
    const target = `properties.subnets[${i}]`;
    return readSubnet(requiredString(item.name, `${target}.name`), item.properties, `${target}.properties`);
  });
  const peerings = (objectArrayField(properties.virtualNetworkPeerings, 'properties.virtualNetworkPeerings') ?? []).map((item, i) => {
    const target = `properties.virtualNetworkPeerings[${i}]`;
    return readPeering(requiredString(item.name, `${target}.name`), item.properties, `${target}.properties`);
  });
  const network: StoredVirtualNetwork = { addressPrefixes: addressPrefixes.map((p) => p.trim()), subnets, peerings };
  if (envelope.location !== undefined) network.location = envelope.location;
  if (envelope.tags !== undefined) network.tags = envelope.tags;
  return network;
}

/** Reads a `subnets/{name}` PUT body. */
export function readSubnetBody(name: string, body: JsonObject | undefined): StoredSubnet {
  return readSubnet(name, checkedBody(subnetSchema, body).properties, 'properties');
}

/** Reads a `virtualNetworkPeerings/{name}` PUT body. */
export function readPeeringBody(name: string, body: JsonObject | undefined): StoredPeering {
  return readPeering(name, checkedBody(peeringSchema, body).properties, 'properties');
}

function readSubnet(name: string, value: unknown, target: string): StoredSubnet {
  checkResourceName(name);
  const properties = objectField(value, target);
  if (!properties) throw badField(`${target}.addressPrefix`, 'is required.');
  return { name, addressPrefix: requiredString(properties.addressPrefix, `${target}.addressPrefix`).trim() };
}

function readPeering(name: string, value: unknown, target: string): StoredPeering {
  checkResourceName(name);
  const properties = objectField(value, target);
  if (!properties) throw badField(`${target}.remoteVirtualNetwork.id`, 'is required.');
  const remote = objectField(properties.remoteVirtualNetwork, `${target}.remoteVirtualNetwork`);
  return {
    name,
    remoteVirtualNetworkId: requiredString(remote?.id, `${target}.remoteVirtualNetwork.id`),
    allowVirtualNetworkAccess: booleanField(properties.allowVirtualNetworkAccess, `${target}.allowVirtualNetworkAccess`) ?? true,
  };
}
