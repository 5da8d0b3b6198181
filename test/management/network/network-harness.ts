/**
 * Helpers for the Microsoft.Network tests: ARM paths under a resource group's Microsoft.Network
 * provider, Azure-shaped bodies, a refusal check that proves nothing was written, and direct
 * edits of the service-side connection entities (standing in for the service owner's approval).
 */
import assert from 'node:assert/strict';
import type { EntityStore } from '../../../src/core/entity-store.js';
import { connectionStoreId, networkKinds } from '../../../src/management/network/network-ids.js';
import type { StoredPrivateEndpointConnection } from '../../../src/management/network/stored-network.js';
import { servicePath, storeState, type ArmReply, type ManagementHarness } from '../arm/arm-harness.js';

export const subscription = 'sub1';

/** `/subscriptions/sub1/resourceGroups/{rg}/providers/Microsoft.Network/{rest}`. */
export function net(rest: string, rg = 'rg-net'): string {
  return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/${rest}`;
}

/** The ARM id of a subnet. */
export function subnetArmId(vnet: string, subnet: string, rg = 'rg-net'): string {
  return net(`virtualNetworks/${vnet}/subnets/${subnet}`, rg);
}

/** A virtual network PUT body. */
export function vnetBody(
  prefixes: string[],
  subnets: Record<string, string> = {},
  peerings: Array<{ name: string; remote: string; allow?: boolean }> = [],
  tags?: Record<string, string>,
): Record<string, unknown> {
  return {
    location: 'westeurope',
    ...(tags ? { tags } : {}),
    properties: {
      addressSpace: { addressPrefixes: prefixes },
      subnets: Object.entries(subnets).map(([name, addressPrefix]) => ({ name, properties: { addressPrefix } })),
      virtualNetworkPeerings: peerings.map((p) => ({
        name: p.name,
        properties: { remoteVirtualNetwork: { id: p.remote }, ...(p.allow === undefined ? {} : { allowVirtualNetworkAccess: p.allow }) },
      })),
    },
  };
}

/** A private endpoint PUT body to the harness's service. */
export function endpointBody(
  subnetId: string,
  options: { manual?: boolean; ip?: string; groupIds?: string[]; target?: string; requestMessage?: string; tags?: Record<string, string> } = {},
): Record<string, unknown> {
  const connection = {
    name: 'conn',
    properties: {
      privateLinkServiceId: options.target ?? servicePath,
      groupIds: options.groupIds ?? ['Gateway'],
      ...(options.requestMessage === undefined ? {} : { requestMessage: options.requestMessage }),
    },
  };
  return {
    location: 'westeurope',
    ...(options.tags ? { tags: options.tags } : {}),
    properties: {
      subnet: { id: subnetId },
      ...(options.ip ? { ipConfigurations: [{ name: 'ipc', properties: { groupId: 'Gateway', memberName: 'Gateway', privateIPAddress: options.ip } }] } : {}),
      [options.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [connection],
    },
  };
}

/** Sends a request that must be refused, and proves the store did not change. */
export async function expectRefusal(
  h: ManagementHarness,
  method: string,
  path: string,
  body: unknown,
  status: number,
  code: string,
  message?: string | RegExp,
): Promise<ArmReply> {
  const before = await storeState(h.store);
  const version = await h.store.version();
  const r = await h.call(method, path, typeof body === 'string' ? { raw: body } : { body });
  assert.equal(r.status, status, r.text);
  assert.equal(r.body?.error?.code, code, r.text);
  if (typeof message === 'string') assert.ok(String(r.body.error.message).includes(message), r.body.error.message);
  else if (message) assert.match(String(r.body.error.message), message);
  assert.deepEqual(await storeState(h.store), before, 'the store is unchanged');
  assert.equal(await h.store.version(), version, 'no transaction committed');
  return r;
}

/** The service-side connection entities, by name. */
export async function connections(store: EntityStore): Promise<Map<string, StoredPrivateEndpointConnection>> {
  const items = (await store.list({ kind: networkKinds.privateEndpointConnection })).items;
  return new Map(items.map((e) => [e.id.slice(e.id.lastIndexOf('/') + 1), e.body as unknown as StoredPrivateEndpointConnection]));
}

/** Changes a service-side connection as the service owner would (approve, reject, fail). */
export async function updateConnection(store: EntityStore, name: string, change: Partial<StoredPrivateEndpointConnection>): Promise<void> {
  await store.transaction('owner', async (tx) => {
    const entity = await tx.get(connectionStoreId(name));
    assert.ok(entity, `connection ${name} exists`);
    await tx.put({ kind: entity.kind, id: entity.id, parent: entity.parent, body: { ...entity.body, ...change } }, { ifMatch: entity.etag });
  });
}

/** The name of the service-side connection a private endpoint opened. */
export async function connectionOf(store: EntityStore, endpointArmId: string): Promise<string> {
  const found = [...(await connections(store))].find(([, c]) => c.privateEndpointId.toLowerCase() === endpointArmId.toLowerCase());
  assert.ok(found, `a connection for ${endpointArmId}`);
  return found[0];
}
