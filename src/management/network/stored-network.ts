/**
 * What the store holds for the network side (issue 4 §2–§3): the bodies of virtual networks,
 * private endpoints and the service's private endpoint connections. The ARM shapes are rendered
 * from these; the gateway's NetworkSettings are derived from them (network-settings.ts).
 */

/** A subnet inside its virtual network's body. */
export interface StoredSubnet {
  name: string;
  addressPrefix: string;
}

/** A peering inside its virtual network's body; Connected only when the remote side peers back. */
export interface StoredPeering {
  name: string;
  /** ARM id of the remote virtual network. */
  remoteVirtualNetworkId: string;
  allowVirtualNetworkAccess: boolean;
}

/** Body of a `virtualNetwork` entity. */
export interface StoredVirtualNetwork {
  location?: string;
  tags?: Record<string, string>;
  addressPrefixes: string[];
  subnets: StoredSubnet[];
  peerings: StoredPeering[];
}

/** One link of a private endpoint to a private link service (auto-approved or manual). */
export interface StoredLinkServiceConnection {
  name: string;
  /** true for `manualPrivateLinkServiceConnections` (Pending until approved). */
  manual: boolean;
  privateLinkServiceId: string;
  groupIds: string[];
  requestMessage?: string;
  /** The name of the service-side `privateEndpointConnections/{name}` entity it created. */
  serviceConnectionName: string;
}

/** Body of a `privateEndpoint` entity. */
export interface StoredPrivateEndpoint {
  location?: string;
  tags?: Record<string, string>;
  /** ARM id of the subnet (`…/virtualNetworks/{v}/subnets/{s}`). */
  subnetId: string;
  /** Static address in the subnet (given in `ipConfigurations`, or allocated). */
  privateIpAddress: string;
  /** The name of the `ipConfigurations` entry the address was given in (a default when allocated). */
  ipConfigurationName?: string;
  connections: StoredLinkServiceConnection[];
}

export type ConnectionStatus = 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';
export type ConnectionProvisioningState = 'Pending' | 'Succeeded' | 'Creating' | 'Updating' | 'Deleting' | 'Failed';

/** Body of a service-side `privateEndpointConnection` entity. */
export interface StoredPrivateEndpointConnection {
  /** ARM id of the private endpoint (`…/Microsoft.Network/privateEndpoints/{pe}`). */
  privateEndpointId: string;
  status: ConnectionStatus;
  description: string;
  /** `None`, or what the consumer must do (e.g. after the gateway could not bind the address). */
  actionsRequired: string;
  provisioningState: ConnectionProvisioningState;
  groupIds: string[];
  requestMessage?: string;
}
