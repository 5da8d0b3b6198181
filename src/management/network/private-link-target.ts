/**
 * Which private link connections the hosted service accepts (issue 4 §2, reference §6): only
 * inbound ones to the service itself (never to a self-hosted gateway, never outbound from the
 * gateway to anything else), only for the `Gateway` group, never while the service is injected
 * into a virtual network (the two are mutually exclusive), and at most 100 of them.
 */
import { parseArmPath } from '../arm/arm-path.js';
import type { VirtualNetworkType } from '../../model/network.js';
import type { RequestedConnection, RequestedIpConfiguration } from './private-endpoint-body.js';
import { networkRefusal } from './network-errors.js';

/** Azure's limit of private endpoint connections per API Management service. */
export const maxPrivateEndpointConnections = 100;

/** The only private link resource (group and member) API Management has. */
export const gatewayGroupId = 'Gateway';

/** Checks the connection's target and groups; throws ArmError 400. */
export function checkPrivateLinkTarget(connection: RequestedConnection, serviceName: string): void {
  const below = segmentsBelowService(connection.privateLinkServiceId, serviceName);
  if (below?.length === 2 && below[0]!.toLowerCase() === 'gateways') {
    throw networkRefusal(
      'NotSupported',
      `Private link service ${connection.privateLinkServiceId} is a self-hosted gateway: self-hosted gateways cannot take private endpoints. Connect to the service itself (…/providers/Microsoft.ApiManagement/service/${serviceName}).`,
    );
  }
  if (below?.length !== 0) {
    throw networkRefusal(
      'NotSupported',
      `Private link service ${connection.privateLinkServiceId} is not supported: Gatehouse accepts inbound private endpoints to its own API Management service (…/providers/Microsoft.ApiManagement/service/${serviceName}) only; outbound private endpoints from the gateway are not supported.`,
    );
  }
  checkGroupIds(connection.groupIds);
}

/** The static address's group and member must be the Gateway resource too. */
export function checkIpConfigurationGroup(ip: RequestedIpConfiguration): void {
  checkGroupIds([ip.groupId]);
  if (ip.memberName !== gatewayGroupId) {
    throw networkRefusal('NotSupported', `memberName ${ip.memberName} is not supported: the Gateway private link resource has one member, Gateway.`);
  }
}

/** Refuses a service injected into a virtual network, and a service at its connection limit. */
export function checkServiceAcceptsConnection(virtualNetworkType: VirtualNetworkType, existingConnections: number): void {
  if (virtualNetworkType === 'External' || virtualNetworkType === 'Internal') {
    throw networkRefusal(
      'NotSupported',
      `The service is injected into a virtual network (virtualNetworkType ${virtualNetworkType}): VNet injection and private endpoints are mutually exclusive. Set virtualNetworkType to None before adding a private endpoint.`,
    );
  }
  if (existingConnections + 1 > maxPrivateEndpointConnections) {
    throw networkRefusal(
      'PrivateEndpointConnectionLimitReached',
      `The service already has ${existingConnections} private endpoint connections; the limit is ${maxPrivateEndpointConnections} per service. Delete a connection before adding another.`,
    );
  }
}

/** The path segments of `id` below the hosted service (none for the service itself); undefined when it names no resource of it. */
function segmentsBelowService(id: string, serviceName: string): string[] | undefined {
  try {
    return parseArmPath(id, serviceName).segments;
  } catch {
    return undefined;
  }
}

function checkGroupIds(groupIds: readonly string[]): void {
  if (groupIds.length !== 1 || groupIds[0] !== gatewayGroupId) {
    throw networkRefusal('NotSupported', `groupId(s) ${groupIds.join(',')} is not supported. Please refer to https://aka.ms/apim-private-link`);
  }
}
