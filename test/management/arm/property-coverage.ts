/**
 * What Gatehouse does with every property of every served kind's request body (issue 14 §2,
 * read by enforced-or-refused.test.ts). An entry covers its path and everything below it.
 * - `behaviour`: the property changes what the gateway or the management API does; `file` is a
 *   test that proves it (the test checks the file exists and names the property).
 * - `answered`: descriptive, as in Azure (shown in the portal, never acted on): stored and
 *   answered by GET. The test sends the sample and reads it back.
 * - `refused`: Azure accepts it, Gatehouse does not implement it: a PUT carrying the sample is a
 *   400 naming the property. The test sends it.
 * - `viewOf`: the chain is a read-only view of another chain's resources (Azure's
 *   `users/{u}/groups` and `users/{u}/subscriptions`): its properties are written there and are
 *   covered by that chain's entries (the test checks they are).
 * - `inProgress`: being built by another change of issue 14 at the time of writing; the lead
 *   turns these into one of the above at merge.
 */

/** How one property is covered. */
export type Coverage =
  | { behaviour: string; file: string }
  | { answered: unknown; note?: string }
  | { refused: unknown; note?: string }
  | { viewOf: string }
  | { inProgress: string };

const policyDocument = { behaviour: 'the policy document the gateway compiles and runs', file: 'test/e2e/gateway-policies.test.ts' };
/** A secret of an identity record: Azure answers it only by POST …/listSecrets. */
const sealedSecret: Coverage = { behaviour: 'sealed at rest, answered only by listSecrets', file: 'test/management/arm/identity-records.test.ts' };
const policyFormat = { behaviour: 'xml or rawxml decides how the value is read; linked formats are refused', file: 'test/management/arm/policies.test.ts' };

/** The properties of a diagnostic, of the service or of an API (one schema, one behaviour). */
const diagnostics: Record<string, Coverage> = {
    loggerId: { behaviour: 'the logger whose type and event hub each record names; it must exist', file: 'test/gateway/diagnostic-log.test.ts' },
    sampling: { behaviour: 'the share of requests recorded', file: 'test/gateway/diagnostic-log.test.ts' },
    alwaysLog: { behaviour: 'allErrors records failed requests whatever the sampling', file: 'test/gateway/diagnostic-log.test.ts' },
    logClientIp: { behaviour: "the caller's address is written as clientIp", file: 'test/gateway/diagnostic-log.test.ts' },
    httpCorrelationProtocol: { behaviour: 'W3C or Legacy decides where correlationId is read from', file: 'test/gateway/diagnostic-log.test.ts' },
    operationNameFormat: { behaviour: 'Name or Url decides how operation is written', file: 'test/gateway/diagnostic-log.test.ts' },
    frontend: { behaviour: 'headers written and masked or hidden by dataMasking; body.bytes above 0 is refused (no bodies in logs)', file: 'test/gateway/diagnostic-log.test.ts' },
    backend: { refused: { request: { headers: ['X-Backend'] } }, note: "records describe the caller's side only: non-empty headers or dataMasking and body.bytes above 0 are refused; empty lists are accepted" },
    verbosity: { behaviour: 'the lowest trace policy severity written to the log', file: 'test/gateway/policy-telemetry.test.ts' },
    metrics: { behaviour: 'true on an applicationinsights diagnostic: emit-metric series are counted on /metrics', file: 'test/gateway/policy-telemetry.test.ts' },
  };

/** Coverage by served chain, then by property path (`[]` an array's items, `*` a map's values). */
export const coverage: Record<string, Record<string, Coverage>> = {
  apis: {
    path: { behaviour: "the gateway routes by the API's path", file: 'test/gateway/routing/api-selection.test.ts' },
    serviceUrl: { behaviour: 'the backend the gateway forwards to', file: 'test/gateway/backend-url.test.ts' },
    protocols: { behaviour: 'the schemes the API is served on', file: 'test/gateway/routing/api-selection.test.ts' },
    subscriptionRequired: { behaviour: 'whether a key is needed', file: 'test/gateway/subscriptions/subscription-index.test.ts' },
    subscriptionKeyParameterNames: { behaviour: 'where the gateway reads the key', file: 'test/e2e/gateway-keys.test.ts' },
    apiRevision: { behaviour: 'revisions are served at ;rev=N', file: 'test/e2e/gateway-routing.test.ts' },
    isCurrent: { behaviour: 'the current revision is the one served without ;rev=', file: 'test/gateway/routing/routing-config-errors.test.ts' },
    apiVersion: { behaviour: 'the version the version set routes to', file: 'test/gateway/routing/versions-and-revisions.test.ts' },
    apiVersionSetId: { behaviour: 'the version set the API is routed by', file: 'test/gateway/routing/versions-and-revisions.test.ts' },
    apiVersionSet: { refused: { name: 'inline set', versioningScheme: 'Segment' }, note: 'accepted only as the echo of apiVersionSetId that a GET answers' },
    type: { refused: 'grpc', note: 'odata and grpc refused; soap (test/e2e/soap-api.test.ts), websocket and graphql (test/e2e/graphql-websocket-apis.test.ts) are served' },
    apiType: { refused: 'odata', note: 'odata and grpc refused; soap, websocket and graphql are served, as for type' },
    format: { behaviour: 'imports the specification in that format', file: 'test/e2e/azure-sdk-scenario.test.ts' },
    value: { behaviour: 'the specification imported', file: 'test/e2e/azure-sdk-scenario.test.ts' },
    translateRequiredQueryParameters: { behaviour: 'required query parameters become template parameters or stay', file: 'test/e2e/gateway-routing.test.ts' },
    sourceApiId: { behaviour: 'a revision or version copies the source API and its operations', file: 'test/management/arm/resources.test.ts' },
    wsdlSelector: { behaviour: 'picks the WSDL service and endpoint a SOAP API is imported from', file: 'test/management/arm/api-import-soap-wadl.test.ts' },
    displayName: { answered: 'Coverage API' },
    description: { answered: 'An API <b>described</b>.' },
    termsOfServiceUrl: { answered: 'https://example.com/terms' },
    contact: { answered: { name: 'Ops', url: 'https://example.com/ops', email: 'ops@example.com' } },
    license: { answered: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' } },
    authenticationSettings: { answered: { oAuth2: { authorizationServerId: 'server1', scope: 'read' } }, note: "as in Azure, it tells the developer portal's test console how to get a token; the gateway does not check it" },
    apiRevisionDescription: { answered: 'first revision' },
    apiVersionDescription: { answered: 'the first version' },
  },
  'apis/operations': {
    method: { behaviour: 'operations are matched by method', file: 'test/gateway/routing/operation-matching.test.ts' },
    urlTemplate: { behaviour: 'operations are matched by URL template', file: 'test/e2e/gateway-forwarding.test.ts' },
    templateParameters: { behaviour: 'template parameters are matched and offered to policies', file: 'test/e2e/gateway-routing.test.ts' },
    request: { behaviour: 'query parameters and representations the operation declares (matching, validate-content, import/export)', file: 'test/management/apiops/operation-information.test.ts' },
    responses: { behaviour: 'the representations mock-response answers', file: 'test/policies/mock-response.test.ts' },
    policies: { refused: '<policies />', note: 'an operation policy is its own resource, …/operations/{id}/policies/policy' },
    displayName: { answered: 'Coverage operation' },
    description: { answered: 'An operation.' },
  },
  'apis/policies': { value: policyDocument, format: policyFormat },
  'apis/operations/policies': { value: policyDocument, format: policyFormat },
  'products/policies': { value: policyDocument, format: policyFormat },
  policies: { value: policyDocument, format: policyFormat },
  'apis/releases': {
    apiId: { behaviour: 'releasing a revision makes it the current one', file: 'test/management/arm/resources.test.ts' },
    notes: { answered: 'Released.' },
  },
  namedValues: {
    displayName: { behaviour: 'the {{name}} policies refer to the named value by', file: 'test/management/arm/policies.test.ts' },
    value: { behaviour: 'the text a {{name}} reference is replaced with', file: 'test/e2e/gateway-policies.test.ts' },
    secret: { behaviour: 'a secret value is sealed at rest and not answered by GET', file: 'test/management/arm/resources.test.ts' },
    tags: { answered: ['one', 'two'] },
    keyVault: { behaviour: 'the value is read from the Key Vault secret and refreshed', file: 'test/e2e/key-vault-named-values.test.ts' },
  },
  apiVersionSets: {
    versioningScheme: { behaviour: 'where the version is read from a request', file: 'test/e2e/gateway-routing.test.ts' },
    versionQueryName: { behaviour: 'the query parameter carrying the version', file: 'test/gateway/routing/versions-and-revisions.test.ts' },
    versionHeaderName: { behaviour: 'the header carrying the version', file: 'test/gateway/routing/versions-and-revisions.test.ts' },
    displayName: { answered: 'Coverage versions' },
    description: { answered: 'Versions of an API.' },
  },
  policyFragments: {
    value: { behaviour: 'the fragment include-fragment inserts', file: 'test/e2e/gateway-policies.test.ts' },
    format: policyFormat,
    description: { answered: 'A fragment.' },
  },
  backends: {
    url: { behaviour: 'where set-backend-service sends requests', file: 'test/gateway/backend-url.test.ts' },
    type: { behaviour: 'a Pool balances over its services', file: 'test/gateway/circuit-breaker-forwarding.test.ts' },
    pool: { behaviour: 'the services a pool balances over, by priority and weight', file: 'test/gateway/circuit-breaker-forwarding.test.ts' },
    circuitBreaker: { behaviour: 'the breaker trips on its rules', file: 'test/e2e/backend-circuit-breaker.test.ts' },
    credentials: { behaviour: 'headers, query parameters, authorization and client certificates sent to the backend', file: 'test/gateway/backend-transports.test.ts' },
    proxy: { behaviour: 'the HTTP proxy requests to the backend go through', file: 'test/gateway/backend-transports.test.ts' },
    tls: { behaviour: "whether the backend's certificate chain and name are validated", file: 'test/e2e/backend-connections.test.ts' },
    properties: { refused: { serviceFabricCluster: { managementEndpoints: ['https://cluster.local:19080'] } }, note: 'Service Fabric backends' },
    protocol: { answered: 'soap', note: 'as in Azure, it describes the backend; the gateway forwards HTTP either way' },
    title: { answered: 'Coverage backend' },
    description: { answered: 'A backend.' },
    resourceId: { answered: 'https://management.azure.com/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app' },
  },
  products: {
    subscriptionRequired: { behaviour: "whether the product's APIs need a key", file: 'test/gateway/subscriptions/subscription-index.test.ts' },
    approvalRequired: { behaviour: 'offered to policy expressions as context.Product.ApprovalRequired', file: 'test/management/arm/resources.test.ts' },
    subscriptionsLimit: { behaviour: 'offered to policy expressions as context.Product.SubscriptionsLimit', file: 'test/management/store-config/service-config-from-entities.test.ts' },
    displayName: { answered: 'Coverage product' },
    description: { answered: 'A product.' },
    terms: { answered: 'Be nice.' },
    state: { answered: 'published', note: 'as in Azure, publishing shows the product in the developer portal (planned); keys work either way' },
  },
  subscriptions: {
    scope: { behaviour: 'what the key opens', file: 'test/gateway/subscriptions/subscription-scope.test.ts' },
    ownerId: { behaviour: 'the user offered to policies as context.User', file: 'test/e2e/expression-snippets.test.ts' },
    primaryKey: { behaviour: 'a key the gateway accepts', file: 'test/gateway/subscriptions/large-index.test.ts' },
    secondaryKey: { behaviour: 'a key the gateway accepts', file: 'test/gateway/subscriptions/large-index.test.ts' },
    state: { behaviour: 'only active subscriptions open anything', file: 'test/gateway/subscriptions/large-index.test.ts' },
    expirationDate: { behaviour: 'an expired key opens nothing', file: 'test/e2e/gateway-keys.test.ts' },
    displayName: { answered: 'Coverage subscription' },
    stateComment: { answered: 'Approved by ops.' },
    startDate: { answered: '2026-01-01T00:00:00Z', note: 'Azure: for audit purposes only' },
    endDate: { answered: '2027-01-01T00:00:00Z', note: 'Azure: for audit purposes only' },
    notificationDate: { answered: '2026-12-01T00:00:00Z', note: 'Azure: for audit purposes only' },
    allowTracing: { answered: true, note: 'Gatehouse has no request tracing, so no subscription can trace whatever it says (fails closed)' },
  },
  users: {
    password: { behaviour: 'hashed at rest (scrypt), never answered or exported; signs the user in', file: 'test/management/arm/user-access.test.ts' },
    state: { behaviour: "a blocked user's subscriptions open nothing", file: 'test/management/store-config/service-config-from-entities.test.ts' },
    confirmation: { behaviour: 'with ?notify=true, the mail sent: an invitation (invite) or the sign-up confirmation (signup, pending users)', file: 'test/management/arm/user-notification.test.ts' },
    appType: { refused: 'developerPortal', note: 'Gatehouse has one developer portal' },
    email: { answered: 'coverage@example.com' },
    firstName: { answered: 'Cover' },
    lastName: { answered: 'Age' },
    note: { answered: 'A note.' },
    identities: { answered: [{ provider: 'Basic', id: 'coverage@example.com' }] },
  },
  groups: {
    displayName: { answered: 'Coverage group' },
    description: { answered: 'A group.' },
    type: { answered: 'external' },
    externalId: { answered: 'aad://example.onmicrosoft.com/groups/1' },
  },
  'apis/schemas': {
    contentType: { answered: 'application/vnd.ms-azure-apim.wadl.grammars+xml', note: 'decides which part of document is required; stored and served, messages are not validated against it (docs/api-schemas.md)' },
    document: { answered: { value: '<grammars />' }, note: "stored and served; a GraphQL API's SDL is parsed and a broken one refused (docs/graphql-apis.md)" },
  },
  certificates: {
    data: { behaviour: 'the PKCS#12 file whose certificate and key backends present as client certificates', file: 'test/management/arm/certificates.test.ts' },
    password: { behaviour: "the file's password; a wrong one is refused and the key is opened with it", file: 'test/management/arm/certificates.test.ts' },
    keyVault: { behaviour: 'the PFX is read from the vault through the secret provider, refreshed, and presented by backends', file: 'test/management/arm/key-vault-certificates.test.ts' },
  },
  tenant: {
    enabled: { behaviour: 'false refuses every user token (401) and the sign-in exchange', file: 'test/management/arm/user-access.test.ts' },
  },
  'users/groups': { '*': { viewOf: 'groups' } },
  'users/subscriptions': { '*': { viewOf: 'subscriptions' } },
  gateways: {
    locationData: { answered: { name: 'Edge', city: 'Oslo', district: 'Sentrum', countryOrRegion: 'Norway' }, note: 'Gatehouse runs no self-hosted gateway: stored and served' },
    description: { answered: 'A gateway.' },
  },
  'gateways/hostnameConfigurations': {
    certificateId: { behaviour: 'must name a stored certificate (400 otherwise)', file: 'test/management/arm/gateways.test.ts' },
    hostname: { answered: 'edge.example.com', note: 'Gatehouse runs no self-hosted gateway: stored and served' },
    negotiateClientCertificate: { answered: true, note: 'stored and served, as hostname' },
    tls10Enabled: { answered: true, note: 'stored and served, as hostname' },
    tls11Enabled: { answered: true, note: 'stored and served, as hostname' },
    http2Enabled: { answered: true, note: 'stored and served, as hostname' },
  },
  'gateways/certificateAuthorities': {
    isTrusted: { answered: true, note: 'stored and served for the self-hosted gateway (issue 17); the name must be a stored certificate (test/management/arm/gateway-certificate-authorities.test.ts)' },
  },
  identityProviders: {
    clientSecret: sealedSecret,
    type: { answered: 'aadB2C', note: 'the developer portal sign-in, which Gatehouse does not have: stored and served' },
    clientId: { answered: 'coverage-client' },
    clientLibrary: { answered: 'MSAL-2' },
    authority: { answered: 'coverage.b2clogin.com' },
    signinTenant: { answered: 'coverage.onmicrosoft.com' },
    allowedTenants: { answered: ['coverage.onmicrosoft.com'] },
    signinPolicyName: { answered: 'B2C_1_signin' },
    signupPolicyName: { answered: 'B2C_1_signup' },
    passwordResetPolicyName: { answered: 'B2C_1_reset' },
    profileEditingPolicyName: { answered: 'B2C_1_edit' },
  },
  authorizationServers: {
    clientSecret: sealedSecret,
    resourceOwnerPassword: sealedSecret,
    displayName: { answered: 'Coverage server', note: "as in Azure, it tells the developer portal's test console how to get a token; the gateway does not use it" },
    description: { answered: 'An authorization server.' },
    clientRegistrationEndpoint: { answered: 'https://as.example.com/register' },
    authorizationEndpoint: { answered: 'https://as.example.com/authorize' },
    authorizationMethods: { answered: ['GET', 'POST'] },
    clientAuthenticationMethod: { answered: ['Basic'] },
    tokenBodyParameters: { answered: [{ name: 'audience', value: 'api' }] },
    tokenEndpoint: { answered: 'https://as.example.com/token' },
    supportState: { answered: true },
    defaultScope: { answered: 'read' },
    grantTypes: { answered: ['authorizationCode', 'clientCredentials'] },
    bearerTokenSendingMethods: { answered: ['authorizationHeader'] },
    clientId: { answered: 'coverage-client' },
    resourceOwnerUsername: { answered: 'owner' },
    useInTestConsole: { answered: false },
    useInApiDocumentation: { answered: true },
  },
  openidConnectProviders: {
    clientSecret: sealedSecret,
    displayName: { answered: 'Coverage provider', note: "as in Azure, it tells the developer portal's test console how to get a token; the gateway does not use it" },
    description: { answered: 'An OpenID Connect provider.' },
    metadataEndpoint: { answered: 'https://idp.example.com/.well-known/openid-configuration' },
    clientId: { answered: 'coverage-client' },
    useInTestConsole: { answered: false },
    useInApiDocumentation: { answered: true },
  },
  loggers: {
    loggerType: { behaviour: 'required, and written in each record', file: 'test/gateway/diagnostic-log.test.ts' },
    credentials: { behaviour: "an event hub logger's destination: log-to-eventhub sends to the Event Hubs namespace, RabbitMQ (amqp://) or NATS (nats://) they name; clear-text secrets moved into a secret named value, as Azure does", file: 'test/e2e/log-to-eventhub.test.ts' },
    isBuffered: { behaviour: 'true: log-to-eventhub messages are sent in batches; false: each message is sent on its own as it comes', file: 'test/gateway/event-logging/logger-channel.test.ts' },
    description: { answered: 'A logger.' },
    resourceId: { answered: '/subscriptions/s/resourceGroups/g/providers/Microsoft.EventHub/namespaces/coverage' },
  },
  caches: {
    connectionString: { behaviour: 'the Redis the external cache connects to; moved into a secret named value as Azure does', file: 'test/e2e/caching-policies.test.ts' },
    useFromLocation: { behaviour: "the gateway uses the cache whose useFromLocation is 'default'", file: 'test/management/arm/caches.test.ts' },
    description: { answered: 'A cache.' },
    resourceId: { answered: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Cache/redis/coverage' },
  },
  diagnostics: diagnostics,
  'apis/diagnostics': diagnostics,
  tags: { displayName: { answered: 'Coverage tag' } },
  privateEndpointConnections: {
    privateLinkServiceConnectionState: { behaviour: 'approving opens the endpoint, rejecting closes it', file: 'test/e2e/network-isolation.test.ts' },
    'privateLinkServiceConnectionState.actionsRequired': { behaviour: "server-managed: only 'None', what Gatehouse answers, is accepted", file: 'test/management/arm/spec-validator.test.ts' },
  },
};
