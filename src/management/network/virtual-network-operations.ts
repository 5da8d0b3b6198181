/**
 * The verbs of `virtualNetworks` and of their `subnets` and `virtualNetworkPeerings` children
 * (issue 4 §2): list in a resource group, GET, PUT (201 create, 200 replace), DELETE (200, or
 * 204 when there is nothing to delete, as ARM answers). Children are kept inside their network's
 * body, so a child write is a checked rewrite of the parent. Each request is one store
 * transaction; every check runs before the write, so a refusal stores nothing.
 */
import type { ArmResponse } from '../arm/resource-operations.js';
import { checkResourceName, type JsonObject } from './network-body.js';
import { childNotFound, methodNotAllowed, resourceNotFound } from './network-errors.js';
import { networkArmId, networkKinds, networkStoreId, type NetworkResourceRef } from './network-ids.js';
import { loadNetworkInventory, type InventoryEntry, type NetworkInventory } from './network-inventory.js';
import { inResourceGroup, resourceGroupParent, storedBody, type NetworkDeps, type NetworkRequest } from './network-request.js';
import { renderPeering, renderSubnet, renderVirtualNetwork } from './render-virtual-network.js';
import type { StoredPeering, StoredSubnet, StoredVirtualNetwork } from './stored-network.js';
import { readPeeringBody, readSubnetBody, readVirtualNetworkBody } from './virtual-network-body.js';
import { checkVirtualNetworkDelete, checkVirtualNetworkWrite } from './virtual-network-rules.js';

type Network = InventoryEntry<StoredVirtualNetwork>;

/** How one child collection lives inside its network's body. */
interface ChildAccess<T extends { name: string }> {
  items(network: StoredVirtualNetwork): T[];
  replaced(network: StoredVirtualNetwork, items: T[]): StoredVirtualNetwork;
  read(name: string, body: JsonObject | undefined): T;
  render(inventory: NetworkInventory, network: Network, item: T): Record<string, unknown>;
}

const subnets: ChildAccess<StoredSubnet> = {
  items: (n) => n.subnets,
  replaced: (n, items) => ({ ...n, subnets: items }),
  read: readSubnetBody,
  render: renderSubnet,
};
const peerings: ChildAccess<StoredPeering> = {
  items: (n) => n.peerings,
  replaced: (n, items) => ({ ...n, peerings: items }),
  read: readPeeringBody,
  render: renderPeering,
};

/** Serves `…/virtualNetworks[/{v}[/subnets|virtualNetworkPeerings[/{c}]]]`. */
export async function handleVirtualNetworkRequest(request: NetworkRequest, deps: NetworkDeps): Promise<ArmResponse> {
  const { path } = request;
  const method = request.method.toUpperCase();
  if (path.name === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return listNetworks(request, deps);
  }
  const ref: NetworkResourceRef = { subscriptionId: path.subscriptionId, resourceGroup: path.resourceGroup, collection: 'virtualNetworks', name: path.name };
  if (path.child) {
    const access = (path.child.collection === 'subnets' ? subnets : peerings) as ChildAccess<StoredSubnet | StoredPeering>;
    return handleChild(request, deps, ref, access, path.child.name);
  }
  if (method === 'GET') return read(deps, request.actor, ref, (inventory, network) => renderVirtualNetwork(inventory, network));
  if (method === 'PUT') return putNetwork(request, deps, ref);
  if (method === 'DELETE') return deleteNetwork(request, deps, ref);
  throw methodNotAllowed(method);
}

async function listNetworks(request: NetworkRequest, deps: NetworkDeps): Promise<ArmResponse> {
  return deps.store.transaction(request.actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const value = inventory.virtualNetworks.filter((n) => inResourceGroup(n.ref, request.path)).map((n) => renderVirtualNetwork(inventory, n));
    return { status: 200, headers: {}, body: { value } };
  });
}

async function putNetwork(request: NetworkRequest, deps: NetworkDeps, ref: NetworkResourceRef): Promise<ArmResponse> {
  checkResourceName(ref.name, 64);
  const next = readVirtualNetworkBody(request.body);
  return write(deps, request.actor, ref, (inventory, existing) => ({
    body: checkVirtualNetworkWrite(inventory, existing?.armId ?? networkArmId(ref), ref.name, next, existing?.body),
    created: existing === undefined,
    render: (after, network) => renderVirtualNetwork(after, network),
  }));
}

async function deleteNetwork(request: NetworkRequest, deps: NetworkDeps, ref: NetworkResourceRef): Promise<ArmResponse> {
  return deps.store.transaction(request.actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const network = inventory.virtualNetwork(networkArmId(ref));
    if (!network) return { status: 204, headers: {} };
    checkVirtualNetworkDelete(inventory, network);
    await tx.delete(network.entity.id, { ifMatch: network.entity.etag });
    return { status: 200, headers: {} };
  });
}

async function handleChild<T extends { name: string }>(
  request: NetworkRequest,
  deps: NetworkDeps,
  ref: NetworkResourceRef,
  access: ChildAccess<T>,
  childName: string | undefined,
): Promise<ArmResponse> {
  const method = request.method.toUpperCase();
  const find = (network: StoredVirtualNetwork): T | undefined => access.items(network).find((c) => c.name.toLowerCase() === childName?.toLowerCase());
  if (childName === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return read(deps, request.actor, ref, (inventory, network) => ({ value: access.items(network.body).map((c) => access.render(inventory, network, c)) }));
  }
  if (method === 'GET') {
    return read(deps, request.actor, ref, (inventory, network) => {
      const child = find(network.body);
      if (!child) throw childNotFound(`${network.armId}/${request.path.child!.collection}/${childName}`);
      return access.render(inventory, network, child);
    });
  }
  if (method === 'PUT') {
    const item = access.read(childName, request.body);
    return write(deps, request.actor, ref, (inventory, existing) => {
      if (!existing) throw resourceNotFound('virtualNetworks', ref.name, ref.resourceGroup);
      const present = find(existing.body);
      // A replaced child keeps the casing of its name from creation, as the store does for ids.
      const stored = { ...item, name: present?.name ?? item.name };
      const items = present ? access.items(existing.body).map((c) => (c === present ? stored : c)) : [...access.items(existing.body), stored];
      return {
        body: checkVirtualNetworkWrite(inventory, existing.armId, existing.ref.name, access.replaced(existing.body, items), existing.body),
        created: present === undefined,
        render: (after, network) => access.render(after, network, find(network.body)!),
      };
    });
  }
  if (method === 'DELETE') {
    return deps.store.transaction(request.actor, async (tx) => {
      const inventory = await loadNetworkInventory(tx);
      const network = inventory.virtualNetwork(networkArmId(ref));
      const present = network && find(network.body);
      if (!network || !present) return { status: 204, headers: {} };
      const next = access.replaced(network.body, access.items(network.body).filter((c) => c !== present));
      const body = checkVirtualNetworkWrite(inventory, network.armId, network.ref.name, next, network.body);
      await tx.put({ kind: networkKinds.virtualNetwork, id: network.entity.id, parent: network.entity.parent, body: storedBody(body) }, { ifMatch: network.entity.etag });
      return { status: 200, headers: {} };
    });
  }
  throw methodNotAllowed(method);
}

/** GET of the network or something inside it: 404 when the network is absent. */
async function read(
  deps: NetworkDeps,
  actor: string,
  ref: NetworkResourceRef,
  render: (inventory: NetworkInventory, network: Network) => unknown,
): Promise<ArmResponse> {
  return deps.store.transaction(actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const network = inventory.virtualNetwork(networkArmId(ref));
    if (!network) throw resourceNotFound('virtualNetworks', ref.name, ref.resourceGroup);
    return { status: 200, headers: {}, body: render(inventory, network) };
  });
}

interface PlannedWrite {
  body: StoredVirtualNetwork;
  created: boolean;
  render(inventory: NetworkInventory, network: Network): Record<string, unknown>;
}

/** Plans a write of the network from what is stored, stores it, and renders from the new state. */
async function write(
  deps: NetworkDeps,
  actor: string,
  ref: NetworkResourceRef,
  plan: (inventory: NetworkInventory, existing: Network | undefined) => PlannedWrite,
): Promise<ArmResponse> {
  return deps.store.transaction(actor, async (tx) => {
    const inventory = await loadNetworkInventory(tx);
    const existing = inventory.virtualNetwork(networkArmId(ref));
    const planned = plan(inventory, existing);
    await tx.put(
      { kind: networkKinds.virtualNetwork, id: existing?.entity.id ?? networkStoreId(ref), parent: existing?.entity.parent ?? resourceGroupParent(ref), body: storedBody(planned.body) },
      existing ? { ifMatch: existing.entity.etag } : { ifNoneMatch: '*' },
    );
    const after = await loadNetworkInventory(tx);
    const network = after.virtualNetwork(networkArmId(ref))!;
    return { status: planned.created ? 201 : 200, headers: {}, body: planned.render(after, network) };
  });
}
