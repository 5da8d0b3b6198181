/**
 * Splits a management URL below `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network`
 * into what the network handler serves (issue 4 §2): a collection of virtual networks or private
 * endpoints, one of them, or a virtual network's subnets or peerings. Literal segments compare
 * case-insensitively, as ARM's do; names keep the casing the client sent.
 */
import { ArmError } from '../arm/arm-error.js';
import { decodePathSegments } from '../arm/arm-path.js';
import { networkChildCollections, networkCollections, type NetworkResourceRef } from './network-ids.js';

/** A parsed request path; `name` is absent for a list, and so is `child.name`. */
export interface NetworkRequestPath {
  subscriptionId: string;
  resourceGroup: string;
  collection: NetworkResourceRef['collection'];
  name?: string;
  child?: { collection: NonNullable<NetworkResourceRef['child']>['collection']; name?: string };
}

/** Whether the path is under a resource group's Microsoft.Network provider (the network handler's). */
export function isNetworkRequestPath(pathname: string): boolean {
  const parts = pathname.split('/').filter((s) => s !== '').map((s) => s.toLowerCase());
  return parts.length >= 6 && parts[0] === 'subscriptions' && parts[2] === 'resourcegroups' && parts[4] === 'providers' && parts[5] === 'microsoft.network';
}

/** Parses a network request path; throws ArmError 400 for a bad URI or an unsupported resource type, 404 for no resource. */
export function parseNetworkRequestPath(pathname: string): NetworkRequestPath {
  const parts = decodePathSegments(pathname);
  const type = parts[6];
  const collection = networkCollections.find((c) => c.toLowerCase() === type?.toLowerCase());
  if (!collection) {
    throw new ArmError(
      400,
      'InvalidResourceType',
      `The resource type '${type ?? ''}' could not be found in the namespace 'Microsoft.Network'. Gatehouse serves 'virtualNetworks' and 'privateEndpoints'.`,
    );
  }
  const path: NetworkRequestPath = { subscriptionId: parts[1]!, resourceGroup: parts[3]!, collection };
  if (parts.length === 7) return path;
  path.name = parts[7];
  if (parts.length === 8) return path;
  const child = networkChildCollections.find((c) => c.toLowerCase() === parts[8]!.toLowerCase());
  if (collection !== 'virtualNetworks' || !child || parts.length > 10) {
    throw new ArmError(404, 'NotFound', `The requested resource '${pathname}' was not found.`);
  }
  path.child = parts.length === 10 ? { collection: child, name: parts[9] } : { collection: child };
  return path;
}
