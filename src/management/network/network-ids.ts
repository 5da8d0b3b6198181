/**
 * The Microsoft.Network resources Private Link needs (issue 4 §2) live in the same entity store
 * as the service's own resources, under ids of their own: `msnetwork/{subscription}/{group}/
 * virtualNetworks/{name}` and `…/privateEndpoints/{name}`. Subnets and peerings are kept inside
 * their virtual network's body, as ARM returns them. This file turns ARM ids into store ids and
 * back, so both the network handler and the service side agree.
 */

/** The store kinds of the network side and of the service's connections. */
export const networkKinds = {
  virtualNetwork: 'virtualNetwork',
  privateEndpoint: 'privateEndpoint',
  privateEndpointConnection: 'privateEndpointConnection',
} as const;

/** A parsed `…/providers/Microsoft.Network/{collection}/{name}[/{child}/{childName}]` id. */
export interface NetworkResourceRef {
  subscriptionId: string;
  resourceGroup: string;
  collection: 'virtualNetworks' | 'privateEndpoints';
  name: string;
  /** `subnets` or `virtualNetworkPeerings` below a virtual network. */
  child?: { collection: 'subnets' | 'virtualNetworkPeerings'; name: string };
}

/** The top-level Microsoft.Network collections served. */
export const networkCollections = ['virtualNetworks', 'privateEndpoints'] as const;
/** The child collections of a virtual network. */
export const networkChildCollections = ['subnets', 'virtualNetworkPeerings'] as const;

/** Parses an ARM id of a network resource (literal segments case-insensitive); undefined when it is none. */
export function parseNetworkId(id: string): NetworkResourceRef | undefined {
  const parts = id.split('/').filter((s, i) => i > 0 || s !== '');
  if (parts[0] === '') parts.shift();
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] !== 'subscriptions' || lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.network') return undefined;
  const collection = networkCollections.find((c) => c.toLowerCase() === lower[6]);
  if (!collection || !parts[1] || !parts[3] || !parts[7]) return undefined;
  const ref: NetworkResourceRef = { subscriptionId: parts[1], resourceGroup: parts[3], collection, name: parts[7] };
  if (parts.length === 8) return ref;
  const child = networkChildCollections.find((c) => c.toLowerCase() === lower[8]);
  if (collection !== 'virtualNetworks' || !child || !parts[9] || parts.length !== 10) return undefined;
  return { ...ref, child: { collection: child, name: parts[9] } };
}

/** The ARM id of a network resource (without its child part unless given). */
export function networkArmId(ref: NetworkResourceRef): string {
  const base = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Network/${ref.collection}/${ref.name}`;
  return ref.child ? `${base}/${ref.child.collection}/${ref.child.name}` : base;
}

/** The store id of the top-level network resource a ref names (a child lives in its parent's body). */
export function networkStoreId(ref: Pick<NetworkResourceRef, 'subscriptionId' | 'resourceGroup' | 'collection' | 'name'>): string {
  return `msnetwork/${ref.subscriptionId}/${ref.resourceGroup}/${ref.collection}/${ref.name}`;
}

/** The store id of a private endpoint connection of the service. */
export function connectionStoreId(name: string): string {
  return `privateEndpointConnections/${name}`;
}
