/**
 * The request-body schema of every resource kind the management API serves: Azure's own
 * definitions for api-version 2024-05-01 (azure-spec/definitions.json), named as the
 * specification names the body of each kind's PUT and PATCH, compiled once when this module
 * loads. Each difference from Azure's definition is listed here with its reason; properties
 * Azure accepts and Gatehouse does not implement are refused with a 400 naming them (issue 14
 * §2), and the enforced-or-refused test (test/management/arm/enforced-or-refused.test.ts) walks
 * every property path of these schemas.
 */
import type { JsonSchema } from './spec-definitions.js';
import { kindSchema } from './spec-validator.js';

// Servers compute these; bodies read with GET and sent back carry them.
const provisioningState = ['provisioningState'];

/** APIs: Api_CreateOrUpdate takes ApiCreateOrUpdateParameter, Api_Update ApiUpdateContract. */
export const apiSchema = kindSchema({
  put: 'ApiCreateOrUpdateProperties',
  patch: 'ApiContractUpdateProperties',
  response: 'ApiContractProperties',
  // Gatehouse checks `path` in the kind (a revision takes it from its API), answering the same 400.
  optional: ['path'],
  amend: {
    // OData and gRPC APIs are not implemented; an API of such a type would be served as plain HTTP.
    type: { enumIgnoringCase: ['http', 'soap', 'websocket', 'graphql'] },
    apiType: { enumIgnoringCase: ['http', 'soap', 'websocket', 'graphql'] },
  },
  // Answered by older Gatehouse versions; dropped when sent back.
  readOnly: ['apiRevisionDescriptionReadOnly'],
});

/** Operations: ApiOperation_CreateOrUpdate takes OperationContract, ApiOperation_Update OperationUpdateContract. */
export const operationSchema = kindSchema({
  put: 'OperationContractProperties',
  patch: 'OperationUpdateContractProperties',
  amend: {
    // Not Azure's: the resolved schema an OpenAPI import keeps for mock-response. Accepted so an
    // operation read with GET (or exported to a folder) can be written back as it is.
    'request.representations[].schema': {},
    'responses[].representations[].schema': {},
    // Azure requires a parameter's type; APIOps folders and older Gatehouse exports omit it.
    'templateParameters[]': { required: ['name'] },
    'request.queryParameters[]': { required: ['name'] },
    'request.headers[]': { required: ['name'] },
    'request.representations[].formParameters[]': { required: ['name'] },
    'responses[].headers[]': { required: ['name'] },
    'responses[].representations[].formParameters[]': { required: ['name'] },
    'responses[].statusCode': { minimum: 100, maximum: 599 },
  },
  notSupported: {
    policies: 'an operation policy is the resource …/operations/{operationId}/policies/policy',
  },
});

/** Policies at every scope: PolicyContract. */
export const policySchema = kindSchema({
  put: 'PolicyContractProperties',
  // Linked documents (xml-link, rawxml-link) are refused by the kind with Azure's NotSupported.
});

/** Policy fragments: PolicyFragmentContract. */
export const policyFragmentSchema = kindSchema({ put: 'PolicyFragmentContractProperties', readOnly: provisioningState });

/** Named values: NamedValue_CreateOrUpdate takes NamedValueCreateContract, NamedValue_Update NamedValueUpdateParameters. */
export const namedValueSchema = kindSchema({
  put: 'NamedValueCreateContractProperties',
  patch: 'NamedValueUpdateParameterProperties',
  response: 'NamedValueContractProperties',
  // A GET answers keyVault.lastStatus; a body read with GET and sent back keeps it, and the kind
  // ignores it (key-vault-reference.ts): the status is the vault's, never the client's.
  amend: { 'keyVault.lastStatus': {} },
});

/** API version sets: ApiVersionSetContract and ApiVersionSetUpdateParameters. */
export const versionSetSchema = kindSchema({
  put: 'ApiVersionSetContractProperties',
  patch: 'ApiVersionSetUpdateParametersProperties',
});

/** Backends: BackendContract and BackendUpdateParameters. */
export const backendSchema = kindSchema({
  put: 'BackendContractProperties',
  patch: 'BackendUpdateParameterProperties',
  // A pool has neither (Azure's own example ApiManagementCreateBackendWithPriorityBasedLoadBalancer
  // sends only `type` and `pool`); the kind requires `url` for a Single backend.
  optional: ['url', 'protocol'],
  // Thresholds that trip on nothing, or on more than everything, are refused.
  amend: {
    'circuitBreaker.rules[].failureCondition.count': { minimum: 1 },
    'circuitBreaker.rules[].failureCondition.percentage': { minimum: 1, maximum: 100 },
  },
  notSupported: {
    properties: 'Service Fabric backends are not implemented',
  },
});

/** Products: ProductContract and ProductUpdateParameters. */
export const productSchema = kindSchema({
  put: 'ProductContractProperties',
  patch: 'ProductUpdateProperties',
  amend: { subscriptionsLimit: { minimum: 0 } },
});

/** Subscriptions: SubscriptionCreateParameters and SubscriptionUpdateParameters. */
export const subscriptionSchema = kindSchema({
  put: 'SubscriptionCreateParameterProperties',
  patch: 'SubscriptionUpdateParameterProperties',
  response: 'SubscriptionContractProperties',
  // The audit dates and comment a GET answers are writable through the folder import and PATCH,
  // kept as given (Azure: "for audit purposes only").
  amend: {
    stateComment: { type: 'string' },
    startDate: { type: 'string' },
    expirationDate: { type: 'string' },
    endDate: { type: 'string' },
    notificationDate: { type: 'string' },
  },
});

/** Users: UserCreateParameters and UserUpdateParameters. */
export const userSchema = kindSchema({
  put: 'UserCreateParameterProperties',
  patch: 'UserUpdateParametersProperties',
  response: 'UserContractProperties',
  amend: { email: { pattern: '^[^@\\s]+@[^@\\s]+$' } },
  notSupported: {
    // `confirmation` picks the mail `?notify=true` sends (user-notification.ts); the portal's sign-up is Gatehouse's own.
    appType: 'Gatehouse has one developer portal, so there is no portal to tell apart for the notification',
  },
});

/** Groups: GroupCreateParameters and GroupUpdateParameters. */
export const groupSchema = kindSchema({
  put: 'GroupCreateParametersProperties',
  patch: 'GroupUpdateParametersProperties',
  response: 'GroupContractProperties',
  amend: { description: { maxLength: 1000 } },
});

/** API releases: ApiReleaseContract. */
export const releaseSchema = kindSchema({
  put: 'ApiReleaseContractProperties',
  // A release without the revision it releases has nothing to do.
  required: ['apiId'],
});

/** Links (product → API, product → group, group → user) take no properties. */
export const linkSchema = kindSchema({ readOnly: provisioningState });

/** Approving or rejecting a private endpoint connection (reference §6.2): only the state is written. */
export const privateEndpointConnectionSchema = kindSchema({
  put: 'PrivateEndpointConnectionRequestProperties',
  required: ['privateLinkServiceConnectionState'],
  amend: {
    privateLinkServiceConnectionState: { required: ['status'] },
    // A connection is created by its private endpoint (Pending); a client approves or rejects it.
    'privateLinkServiceConnectionState.status': { type: 'string', enumIgnoringCase: ['Approved', 'Rejected'] },
    'privateLinkServiceConnectionState.description': { maxLength: 1000 },
    // Server-managed: Gatehouse answers None, and a value sent back from a GET must say the same.
    'privateLinkServiceConnectionState.actionsRequired': { enumIgnoringCase: ['None'] },
  },
  readOnly: ['provisioningState', 'privateEndpoint', 'groupIds'],
});

/** Private link resources are read-only. */
export const privateLinkResourceSchema = kindSchema({ readOnly: ['groupId', 'requiredMembers', 'requiredZoneNames'] });

/** Certificates: CertificateCreateOrUpdateParameters; subject, thumbprint and expirationDate are computed from the PFX. */
export const certificateSchema = kindSchema({
  put: 'CertificateCreateOrUpdateProperties',
  response: 'CertificateContractProperties',
  // A PFX of a few certificates is a few kilobytes; the cap keeps a body from filling the store.
  // keyVault.lastStatus is the vault's, answered by GET and ignored when sent back (as for named values).
  amend: { data: { maxLength: 1_000_000 }, password: { maxLength: 1000 }, 'keyVault.lastStatus': {}, 'keyVault.secretIdentifier': { maxLength: 2048 } },
});

/** Self-hosted gateways: GatewayContract, for Gateway_CreateOrUpdate and Gateway_Update. */
export const gatewaySchema = kindSchema({ put: 'GatewayContractProperties' });

/** A gateway's POST …/regenerateKey body (GatewayKeyRegenerationRequestContract). */
export const gatewayKeyRegenerationSchema = kindSchema({ put: 'GatewayKeyRegenerationRequestContract' });

/** A gateway's POST …/generateToken body (GatewayTokenRequestContract); the kind reads `expiry` as a date. */
export const gatewayTokenRequestSchema = kindSchema({ put: 'GatewayTokenRequestContract' });

/** A gateway's hostname configurations: GatewayHostnameConfigurationContract. */
export const gatewayHostnameConfigurationSchema = kindSchema({ put: 'GatewayHostnameConfigurationContractProperties' });

/** Identity providers: IdentityProviderCreateContract and IdentityProviderUpdateParameters. */
export const identityProviderSchema = kindSchema({
  put: 'IdentityProviderCreateContractProperties',
  patch: 'IdentityProviderUpdateProperties',
  // Required by the kind, except from a folder import: the extractor leaves secrets out.
  optional: ['clientSecret'],
});

/** OAuth 2.0 authorization servers: AuthorizationServerContract and AuthorizationServerUpdateContract. */
export const authorizationServerSchema = kindSchema({ put: 'AuthorizationServerContractProperties', patch: 'AuthorizationServerUpdateContractProperties' });

/** OpenID Connect providers: OpenidConnectProviderContract and OpenidConnectProviderUpdateContract. */
export const openidConnectProviderSchema = kindSchema({ put: 'OpenidConnectProviderContractProperties', patch: 'OpenidConnectProviderUpdateContractProperties' });

/**
 * Loggers: LoggerContract. A PATCH is checked against the PUT's definition too: Azure's
 * LoggerUpdateParameters is the same less `resourceId` and the description's cap, and a PATCH
 * may set what a PUT may.
 */
export const loggerSchema = kindSchema({ put: 'LoggerContractProperties' });

/** What a diagnostic logs of each message: the same amendments for the four of them. */
function diagnosticMessageAmendments(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const side of ['frontend', 'backend']) {
    for (const direction of ['request', 'response']) {
      const at = `${side}.${direction}`;
      out[`${at}.body.bytes`] = { minimum: 0 };
      // Not in the 2024-05-01 definition; the portal sends it back as null.
      out[`${at}.body.sampling`] = {};
      // A masking rule without its header or parameter, or without what to do with it, does nothing.
      out[`${at}.dataMasking.queryParams[]`] = { required: ['value', 'mode'] };
      out[`${at}.dataMasking.headers[]`] = { required: ['value', 'mode'] };
    }
  }
  return out;
}

/** Diagnostics of the service and of an API: DiagnosticContract and DiagnosticUpdateContract. */
export const diagnosticSchema = kindSchema({
  put: 'DiagnosticContractProperties',
  patch: 'DiagnosticContractUpdateProperties',
  // The kind answers a missing logger in Azure's own words ('LoggerId must be specified.').
  optional: ['loggerId'],
  amend: diagnosticMessageAmendments(),
});

/** Tags: TagCreateUpdateParameters. */
export const tagSchema = kindSchema({ put: 'TagContractProperties' });

/** API schemas: SchemaContract. */
export const apiSchemaSchema = kindSchema({
  put: 'SchemaContractProperties',
  // A media type is a short text; the cap keeps a body from filling the store.
  amend: { contentType: { maxLength: 500 } },
});

/** External caches: CacheContract and CacheUpdateParameters. */
export const cacheSchema = kindSchema({ put: 'CacheContractProperties', patch: 'CacheUpdateProperties' });

/** A self-hosted gateway's certificate authorities: GatewayCertificateAuthorityContract. */
export const gatewayCertificateAuthoritySchema = kindSchema({ put: 'GatewayCertificateAuthorityContractProperties' });

/**
 * The tenant access resource (`tenant/access`): Azure's AccessInformationCreateParameters and
 * AccessInformationUpdateParameters, which this extract of the specification does not carry.
 * Only `enabled` is written; the keys are made by the service and changed by regenerating them.
 */
export const tenantAccessSchema = kindSchema({ amend: { enabled: { type: 'boolean' } } });
