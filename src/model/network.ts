/**
 * The service's network settings as the gateway applies them (reference §6, DESIGN.md "The
 * network is configuration"): whether the public endpoint exists and admits callers, and one
 * listener per approved private endpoint connection with the source networks it admits. The
 * management side derives this from the service resource, its private endpoint connections and
 * the Microsoft.Network resources they point at; the gateway only reads it.
 */

/** `publicNetworkAccess` of the service (reference §6.1). */
export type PublicNetworkAccess = 'Enabled' | 'Disabled';

/** `virtualNetworkType` of the service (reference §6.1). */
export type VirtualNetworkType = 'None' | 'External' | 'Internal';

/** One approved private endpoint connection the gateway must listen for. */
export interface PrivateEndpointListener {
  /** The connection's name (`privateEndpointConnections/{name}`): `context.Request.PrivateEndpointConnection.Name`. */
  connectionName: string;
  /** Always `Gateway` (the only private link resource). */
  groupId: string;
  /** Always `Gateway`. */
  memberName: string;
  /** The private endpoint's static address in its subnet: the listener binds to it. */
  privateIpAddress: string;
  /**
   * CIDR prefixes whose sources may connect: the endpoint's virtual network address space and
   * the address spaces of networks peered with it (Connected peerings only).
   */
  allowedSources: string[];
}

/** VNet injection (External or Internal mode): the subnet the gateway sits in. */
export interface VirtualNetworkInjection {
  /** The subnet's ARM id, for messages. */
  subnetId: string;
  /** The subnet's address prefix: the gateway serves on its host addresses inside it. */
  subnetPrefix: string;
  /** The virtual network's address space plus Connected peerings' (Internal mode's admitted sources). */
  allowedSources: string[];
}

export interface NetworkSettings {
  publicNetworkAccess: PublicNetworkAccess;
  virtualNetworkType: VirtualNetworkType;
  /** Set when `virtualNetworkType` is External or Internal and the subnet is known. */
  injection?: VirtualNetworkInjection;
  /** Approved connections whose provisioning has not failed. */
  privateEndpoints: PrivateEndpointListener[];
}

/** The settings of a service nobody configured: public, no VNet, no private endpoints. */
export function defaultNetworkSettings(): NetworkSettings {
  return { publicNetworkAccess: 'Enabled', virtualNetworkType: 'None', privateEndpoints: [] };
}

/** What the gateway's attempt to listen on a private endpoint connection's address did; a failure names the address. */
export type ListenerOutcome = { ok: true } | { ok: false; message: string };
