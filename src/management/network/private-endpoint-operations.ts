/**
 * The verbs of `privateEndpoints` (issue 4 §2): list in a resource group, GET, PUT, DELETE. A
 * create places the endpoint in an existing subnet at a checked or allocated address and creates
 * the service-side `privateEndpointConnections/{pe}.{hex}` entity (Approved for
 * `privateLinkServiceConnections`, Pending for the manual kind) in the same transaction; a delete
 * removes both. Every check runs before the first write, so a refusal stores nothing.
 */
import { randomBytes } from 'node:crypto';
import type { EntityTransaction } from '../../core/entity-store.js';
import type { ArmResponse } from '../arm/resource-operations.js';
import { serviceStoreId } from '../arm/service-resource.js';
import { checkResourceName } from './network-body.js';
import { invalidReference, methodNotAllowed, resourceNotFound } from './network-errors.js';
import { connectionStoreId, networkArmId, networkKinds, networkStoreId, type NetworkResourceRef } from './network-ids.js';
import { loadNetworkInventory, type NetworkInventory } from './network-inventory.js';
import { inResourceGroup, resourceGroupParent, storedBody, type NetworkDeps, type NetworkRequest } from './network-request.js';
import { readPrivateEndpointBody, type PrivateEndpointInput } from './private-endpoint-body.js';
import { replacedPrivateEndpoint } from './private-endpoint-replace.js';
import { placePrivateIp, type AllocationSubnet } from './private-ip-allocation.js';
import { checkIpConfigurationGroup, checkPrivateLinkTarget, checkServiceAcceptsConnection } from './private-link-target.js';
import { defaultIpConfigurationName, renderPrivateEndpoint } from './render-private-endpoint.js';
import type { StoredPrivateEndpoint, StoredPrivateEndpointConnection } from './stored-network.js';
import { virtualNetworkTypeOf } from './service-network-properties.js';
import { readPrefix } from './virtual-network-layout.js';

/** Serves `…/privateEndpoints[/{pe}]`. */
export async function handlePrivateEndpointRequest(request: NetworkRequest, deps: NetworkDeps): Promise<ArmResponse> {
  const { path } = request;
  const method = request.method.toUpperCase();
  if (path.name === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return deps.store.transaction(request.actor, async (tx) => {
      const inventory = await loadNetworkInventory(tx);
      const value = inventory.privateEndpoints.filter((e) => inResourceGroup(e.ref, path)).map((e) => renderPrivateEndpoint(inventory, e, deps.serviceName));
      return { status: 200, headers: {}, body: { value } };
    });
  }
  const ref: NetworkResourceRef = { subscriptionId: path.subscriptionId, resourceGroup: path.resourceGroup, collection: 'privateEndpoints', name: path.name };
  if (method === 'GET') {
    return deps.store.transaction(request.actor, async (tx) => {
      const inventory = await loadNetworkInventory(tx);
      const endpoint = inventory.privateEndpoint(networkArmId(ref));
      if (!endpoint) throw resourceNotFound('privateEndpoints', ref.name, ref.resourceGroup);
      return { status: 200, headers: {}, body: renderPrivateEndpoint(inventory, endpoint, deps.serviceName) };
    });
  }
  if (method === 'PUT') return putEndpoint(request, deps, ref);
  if (method === 'DELETE') return deleteEndpoint(request, deps, ref);
  throw methodNotAllowed(method);
}

async function putEndpoint(request: NetworkRequest, deps: NetworkDeps, ref: NetworkResourceRef): Promise<ArmResponse> {
  checkResourceName(ref.name, 64);
  const input = readPrivateEndpointBody(request.body);
  // Named outside the transaction: an engine may run the work again, and the name should not change.
  const serviceConnectionName = `${ref.name}.${randomBytes(8).toString('hex')}`;
  return deps.store.transaction(request.actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const existing = inventory.privateEndpoint(networkArmId(ref));
    if (existing) {
      const body = replacedPrivateEndpoint(existing.body, input);
      await tx.put({ kind: networkKinds.privateEndpoint, id: existing.entity.id, parent: existing.entity.parent, body: storedBody(body) }, { ifMatch: existing.entity.etag });
    } else {
      const armId = networkArmId(ref);
      const endpoint = await plannedEndpoint(tx, inventory, input, armId, serviceConnectionName, deps.serviceName);
      await tx.put({ kind: networkKinds.privateEndpoint, id: networkStoreId(ref), parent: resourceGroupParent(ref), body: storedBody(endpoint) }, { ifNoneMatch: '*' });
      const connection: StoredPrivateEndpointConnection = {
        privateEndpointId: armId,
        status: input.connection.manual ? 'Pending' : 'Approved',
        description: input.connection.manual ? (input.connection.requestMessage ?? '') : 'Auto-Approved',
        actionsRequired: 'None',
        provisioningState: input.connection.manual ? 'Pending' : 'Succeeded',
        groupIds: input.connection.groupIds,
      };
      if (input.connection.requestMessage !== undefined) connection.requestMessage = input.connection.requestMessage;
      await tx.put(
        { kind: networkKinds.privateEndpointConnection, id: connectionStoreId(serviceConnectionName), parent: '', body: storedBody(connection) },
        { ifNoneMatch: '*' },
      );
    }
    const after = await loadNetworkInventory(tx);
    return { status: existing ? 200 : 201, headers: {}, body: renderPrivateEndpoint(after, after.privateEndpoint(networkArmId(ref))!, deps.serviceName) };
  });
}

/** Checks a new endpoint against the subnet, the addresses in use and the service; returns what to store. */
async function plannedEndpoint(
  tx: EntityTransaction,
  inventory: NetworkInventory,
  input: PrivateEndpointInput,
  armId: string,
  serviceConnectionName: string,
  serviceName: string,
): Promise<StoredPrivateEndpoint> {
  const found = inventory.subnet(input.subnetId);
  if (!found) throw invalidReference(input.subnetId, armId);
  const { network, subnet } = found;
  const allocation: AllocationSubnet = { name: subnet.name, prefix: readPrefix(subnet.addressPrefix, `subnet ${subnet.name}`) };
  const taken = new Map(inventory.privateEndpoints.map((e) => [e.body.privateIpAddress, e.armId]));
  const privateIpAddress = placePrivateIp(allocation, input.ipConfiguration?.privateIpAddress, taken);
  if (input.ipConfiguration) checkIpConfigurationGroup(input.ipConfiguration);
  checkPrivateLinkTarget(input.connection, serviceName);
  const service = await tx.get(serviceStoreId);
  checkServiceAcceptsConnection(virtualNetworkTypeOf(service?.body ?? {}), inventory.connectionCount);
  const endpoint: StoredPrivateEndpoint = {
    subnetId: `${network.armId}/subnets/${subnet.name}`,
    privateIpAddress,
    ipConfigurationName: input.ipConfiguration?.name ?? defaultIpConfigurationName,
    connections: [{ ...input.connection, serviceConnectionName }],
  };
  if (input.location !== undefined) endpoint.location = input.location;
  if (input.tags !== undefined) endpoint.tags = input.tags;
  return endpoint;
}

async function deleteEndpoint(request: NetworkRequest, deps: NetworkDeps, ref: NetworkResourceRef): Promise<ArmResponse> {
  return deps.store.transaction(request.actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const endpoint = inventory.privateEndpoint(networkArmId(ref));
    if (!endpoint) return { status: 204, headers: {} };
    for (const connection of endpoint.body.connections) await tx.delete(connectionStoreId(connection.serviceConnectionName));
    await tx.delete(endpoint.entity.id, { ifMatch: endpoint.entity.etag });
    return { status: 200, headers: {} };
  });
}
