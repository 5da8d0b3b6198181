/**
 * What the Microsoft.Network handlers receive: the parsed request and the store they work on.
 * Kept apart from the handlers so the virtual network and private endpoint operations share it
 * without importing each other.
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { JsonObject } from './network-body.js';
import type { NetworkRequestPath } from './network-request-path.js';

/** One parsed Microsoft.Network request. */
export interface NetworkRequest {
  method: string;
  path: NetworkRequestPath;
  body: JsonObject | undefined;
  /** Who writes, for the audit log. */
  actor: string;
}

/** What the network operations need. */
export interface NetworkDeps {
  store: EntityStore;
  /** The hosted API Management service: the only private link target. */
  serviceName: string;
}

/** The store parent of the network resources of one resource group, so a list is one query. */
export function resourceGroupParent(path: Pick<NetworkRequestPath, 'subscriptionId' | 'resourceGroup'>): string {
  return `msnetwork/${path.subscriptionId}/${path.resourceGroup}`;
}

/** Whether a stored resource belongs to the request's resource group (names compare case-insensitively). */
export function inResourceGroup(ref: Pick<NetworkRequestPath, 'subscriptionId' | 'resourceGroup'>, path: Pick<NetworkRequestPath, 'subscriptionId' | 'resourceGroup'>): boolean {
  return ref.subscriptionId.toLowerCase() === path.subscriptionId.toLowerCase() && ref.resourceGroup.toLowerCase() === path.resourceGroup.toLowerCase();
}

/** A stored body interface as the store's JSON record. */
export function storedBody(body: object): Record<string, unknown> {
  return body as Record<string, unknown>;
}
