/**
 * Entry point of the Microsoft.Network side of the management API (issue 4 §2): requests under
 * `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/…` come here from the
 * management handler after bearer authentication. Checks follow ARM's order (api-version, path,
 * body), then the virtual network or private endpoint operations serve the request.
 */
import type { IncomingMessage } from 'node:http';
import type { EntityStore } from '../../core/entity-store.js';
import { defaultBodyLimit, readJsonBody } from '../arm/request-body.js';
import type { ArmResponse } from '../arm/resource-operations.js';
import { checkNetworkApiVersion } from './network-api-version.js';
import { parseNetworkRequestPath } from './network-request-path.js';
import type { NetworkRequest } from './network-request.js';
import { handlePrivateEndpointRequest } from './private-endpoint-operations.js';
import { handleVirtualNetworkRequest } from './virtual-network-operations.js';

export interface NetworkHandlerOptions {
  store: EntityStore;
  serviceName: string;
  actor: string;
  bodyLimit?: number;
}

/** Serves one authenticated Microsoft.Network request; throws ArmError for refusals. */
export async function serveNetworkRequest(req: IncomingMessage, url: URL, options: NetworkHandlerOptions): Promise<ArmResponse> {
  checkNetworkApiVersion(url.searchParams.get('api-version'));
  const path = parseNetworkRequestPath(url.pathname);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = method === 'PUT' ? await readJsonBody(req, options.bodyLimit ?? defaultBodyLimit) : undefined;
  const request: NetworkRequest = { method, path, body, actor: options.actor };
  const deps = { store: options.store, serviceName: options.serviceName };
  return path.collection === 'virtualNetworks' ? handleVirtualNetworkRequest(request, deps) : handlePrivateEndpointRequest(request, deps);
}
