/**
 * The request-body schemas of the service resource itself (reference §5.2): a PATCH's
 * `properties` against Azure's ApiManagementServiceUpdateProperties (apimdeployment.json), and
 * its `tags` against ApimResource's. Gatehouse hosts one service, so there is no PUT. The
 * network properties' rules between each other and the other resources live in
 * network/service-network-properties.ts.
 */
import { kindSchema } from './spec-validator.js';

/** The service PATCH schema (ApiManagementService_Update takes ApiManagementServiceUpdateParameters). */
export const serviceSchema = kindSchema({
  // No PUT is served; the PUT schema is the PATCH's, with nothing required either way.
  put: 'ApiManagementServiceUpdateProperties',
  amend: {
    // Checked by publicNetworkAccessProblem, which answers in the definition's own words.
    publicNetworkAccess: { type: undefined, enumIgnoringCase: undefined },
    // Given, the configuration names its subnet; null takes the service out of its network.
    virtualNetworkConfiguration: { required: ['subnetResourceId'] },
    // ARM ids compare without case; service-network-properties.ts reads the id and names what is wrong with it.
    'virtualNetworkConfiguration.subnetResourceId': { pattern: undefined, maxLength: 1000 },
  },
  // What the service's GET answers with fixed values (one region, no custom host names or
  // certificates) and a client may send back; connections are their own resources.
  readOnly: [
    'hostnameConfigurations', 'additionalLocations', 'apiVersionConstraint', 'certificates', 'privateEndpointConnections',
  ],
  notSupported: {
    publicIpAddressId: 'the gateway listens on the addresses it is started with (--host)',
    configurationApi: 'Gatehouse has no legacy (v1) configuration API to switch on or off',
    // Switches the GET never shows: accepting and dropping them would acknowledge a setting that does nothing.
    enableClientCertificate: 'the gateway asks for client certificates per host name: start it with --negotiate-client-certificate HOST',
    natGatewayState: 'the gateway has no NAT gateway; it calls backends from the host it runs on',
    restore: 'there is no soft-deleted service to undelete',
    developerPortalStatus: 'Gatehouse has no developer portal yet',
    legacyPortalStatus: 'Gatehouse has no legacy developer portal',
  },
});

/** The service's `tags` (ApimResource, which ApiManagementServiceUpdateParameters extends). */
export const serviceTagsSchema = kindSchema({ put: 'ApimResource' });
