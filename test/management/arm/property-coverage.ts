/**
 * What Gatehouse does with every property of every served kind's request body (issue 14 §2,
 * read by enforced-or-refused.test.ts). An entry covers its path and everything below it.
 * - `behaviour`: the property changes what the gateway or the management API does; `file` is a
 *   test that proves it (the test checks the file exists and names the property).
 * - `answered`: descriptive, as in Azure (shown in the portal, never acted on): stored and
 *   answered by GET. The test sends the sample and reads it back.
 * - `refused`: Azure accepts it, Gatehouse does not implement it: a PUT carrying the sample is a
 *   400 naming the property. The test sends it.
 * - `inProgress`: being built by another change of issue 14 at the time of writing; the lead
 *   turns these into one of the above at merge.
 */

/** How one property is covered. */
export type Coverage =
  | { behaviour: string; file: string }
  | { answered: unknown; note?: string }
  | { refused: unknown; note?: string }
  | { inProgress: string };

const inProgress = (what: string): Coverage => ({ inProgress: `in progress (issue 14): ${what}` });
const policyDocument = { behaviour: 'the policy document the gateway compiles and runs', file: 'test/e2e/gateway-policies.test.ts' };
const policyFormat = { behaviour: 'xml or rawxml decides how the value is read; linked formats are refused', file: 'test/management/arm/policies.test.ts' };

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
    type: { refused: 'grpc', note: 'odata and grpc refused; soap, websocket and graphql in progress (issue 14)' },
    apiType: { refused: 'odata', note: 'odata and grpc refused; soap, websocket and graphql in progress (issue 14)' },
    format: { behaviour: 'imports the specification in that format', file: 'test/e2e/azure-sdk-scenario.test.ts' },
    value: { behaviour: 'the specification imported', file: 'test/e2e/azure-sdk-scenario.test.ts' },
    translateRequiredQueryParameters: { behaviour: 'required query parameters become template parameters or stay', file: 'test/e2e/gateway-routing.test.ts' },
    sourceApiId: { behaviour: 'a revision or version copies the source API and its operations', file: 'test/management/arm/resources.test.ts' },
    wsdlSelector: inProgress('SOAP APIs from WSDL'),
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
    keyVault: inProgress('Key Vault named values'),
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
    credentials: inProgress('backend credentials'),
    proxy: inProgress('backend proxy'),
    tls: inProgress('backend TLS validation'),
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
    password: { behaviour: 'sealed at rest, never answered', file: 'test/management/arm/resources.test.ts' },
    state: { behaviour: "a blocked user's subscriptions open nothing", file: 'test/management/store-config/service-config-from-entities.test.ts' },
    confirmation: { refused: 'signup', note: 'Gatehouse sends no e-mail notifications' },
    appType: { refused: 'developerPortal', note: 'Gatehouse sends no e-mail notifications' },
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
  privateEndpointConnections: {
    privateLinkServiceConnectionState: { behaviour: 'approving opens the endpoint, rejecting closes it', file: 'test/e2e/network-isolation.test.ts' },
    'privateLinkServiceConnectionState.actionsRequired': { behaviour: "server-managed: only 'None', what Gatehouse answers, is accepted", file: 'test/management/arm/spec-validator.test.ts' },
  },
};
