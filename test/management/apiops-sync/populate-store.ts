/**
 * Fills a store with at least one resource of every kind through the real management REST API
 * (so the stored bodies are exactly what the API stores): version set, plain and secret named
 * values, Single and Pool backends, fragments (one including another), a custom group, a user with a password and
 * group memberships and a second identity, APIs with operations, policies at every scope, a revision made current by
 * a release, a versioned API, an API imported from OpenAPI, products with links and a policy,
 * subscriptions with keys and owner, a certificate, a self-hosted gateway with an API link, a
 * hostname configuration and the certificate as a certificate authority, an identity provider, an authorization server, an OpenID Connect provider, the
 * global policy, and loggers, diagnostics, tags with their links and API schemas
 * (populate-observability.ts).
 */
import assert from 'node:assert/strict';
import type { ManagementHarness } from '../arm/arm-harness.js';
import { populateObservability } from './populate-observability.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';

const policies = (inbound: string): string =>
  `<policies>\n  <inbound>\n    <base />\n    ${inbound}\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>`;

const openapi = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'Spec API', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        operationId: 'getPet',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' } } } } } } },
      },
    },
  },
});

/** Writes the resources; every request must succeed. */
export async function populateStore(m: ManagementHarness): Promise<void> {
  const put = async (path: string, properties: Record<string, unknown>): Promise<void> => {
    const reply = await m.call('PUT', path, { body: { properties } });
    assert.ok(reply.status === 200 || reply.status === 201, `PUT ${path}: ${reply.status} ${reply.text}`);
  };
  await put('apiVersionSets/vs1', { displayName: 'Orders', versioningScheme: 'Segment', description: 'orders versions' });
  await put('namedValues/plain', { displayName: 'plain-value', value: 'hello', tags: ['a'] });
  await put('namedValues/secret', { displayName: 'secret-value', value: 's3cr3t!', secret: true });
  await put('backends/b1', { url: 'http://127.0.0.1:9/one', protocol: 'http', title: 'one', credentials: { header: { 'x-key': ['{{plain-value}}'] } } });
  await put('backends/b2', { url: 'http://127.0.0.1:9/two', protocol: 'http' });
  await put('backends/pool', { type: 'Pool', pool: { services: [{ id: '/backends/b1', priority: 1 }, { id: '/backends/b2', priority: 2 }] } });
  await put('policyFragments/frag1', {
    format: 'rawxml',
    description: 'adds a header',
    value: '<fragment>\n  <set-header name="x-frag" exists-action="override">\n    <value>{{plain-value}}</value>\n  </set-header>\n</fragment>',
  });
  // Sorts before the fragment it includes: the import must write frag1 first.
  await put('policyFragments/a-outer', { format: 'rawxml', value: '<fragment>\n  <include-fragment fragment-id="frag1" />\n</fragment>' });
  await put('groups/partners', { displayName: 'Partners', description: 'partner companies' });
  await put('users/alice', {
    email: 'alice@example.com',
    firstName: 'Alice',
    lastName: 'Able',
    password: 'pa55-word',
    state: 'active',
    note: 'vip',
    identities: [
      { provider: 'Basic', id: 'alice@example.com' },
      { provider: 'AadB2C', id: '5f2a8a8e-0b0e-4a33-9d7c-3f1c6a0e9b11' },
    ],
  });
  await put('groups/partners/users/alice', {});
  await put('groups/developers/users/alice', {});
  await put('apis/echo', { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:9/echo', protocols: ['https', 'http'], description: 'echoes' });
  await put('apis/echo/operations/get-item', {
    displayName: 'Get item',
    method: 'GET',
    urlTemplate: '/items/{id}',
    templateParameters: [{ name: 'id', type: 'string', required: true }],
    responses: [{ statusCode: 200, representations: [{ contentType: 'application/json', examples: { default: { value: { id: 1 } } } }] }],
  });
  await put('apis/echo/policies/policy', { format: 'rawxml', value: policies('<include-fragment fragment-id="frag1" />\n    <set-backend-service backend-id="b1" />') });
  await put('apis/echo/operations/get-item/policies/policy', { format: 'rawxml', value: policies('<set-header name="x-secret" exists-action="override">\n      <value>{{secret-value}}</value>\n    </set-header>') });
  await put('apis/echo;rev=2', { sourceApiId: '/apis/echo', apiRevisionDescription: 'second revision' });
  await put('apis/echo;rev=2/operations/post-item', { displayName: 'Post item', method: 'POST', urlTemplate: '/items' });
  await put('apis/echo/releases/r1', { apiId: '/apis/echo;rev=2', notes: 'release two' });
  await put('apis/orders-v1', { displayName: 'Orders', path: 'orders', apiVersion: 'v1', apiVersionSetId: '/apiVersionSets/vs1' });
  await put('apis/orders-v2', { displayName: 'Orders', path: 'orders', apiVersion: 'v2', apiVersionSetId: '/apiVersionSets/vs1', subscriptionRequired: false });
  await put('apis/spec-api', { path: 'spec', format: 'openapi+json', value: openapi });
  await put('products/gold', { displayName: 'Gold', description: 'gold tier', subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 5, state: 'published', terms: 'be nice' });
  await put('products/gold/policies/policy', { format: 'rawxml', value: policies('<set-header name="x-product" exists-action="override">\n      <value>gold</value>\n    </set-header>') });
  await put('products/gold/apis/echo', {});
  await put('products/gold/apis/orders-v1', {});
  await put('products/gold/groups/partners', {});
  await put('products/free', { displayName: 'Free', subscriptionRequired: false, state: 'published' });
  await put('products/free/apis/spec-api', {});
  await put('subscriptions/s1', { scope: '/products/gold', displayName: 'Alice gold', ownerId: '/users/alice', state: 'active', primaryKey: 'primary-key-0001', secondaryKey: 'secondary-key-0001', allowTracing: false });
  await put('subscriptions/s2', { scope: '/apis', displayName: 'All APIs', state: 'suspended' });
  await put('subscriptions/s3', { scope: '/apis/orders-v1', displayName: 'Orders only', state: 'active' });
  await put('gateways/gw1', { description: 'branch office', locationData: { name: 'Oslo', city: 'Oslo', countryOrRegion: 'Norway' } });
  await put('gateways/gw1/apis/echo', {});
  const ca = packPfx(await selfSignedCertificate('every-kind-ca'), 'ca-pa55');
  await put('certificates/ca1', { data: ca.pfx, password: ca.password });
  await put('gateways/gw1/certificateAuthorities/ca1', { isTrusted: true });
  await put('gateways/gw1/hostnameConfigurations/default', { hostname: 'api.branch.example', negotiateClientCertificate: false, tls10Enabled: false, tls11Enabled: false, http2Enabled: true });
  await put('identityProviders/aad', { clientId: 'aad-client', clientSecret: 'aad-secret', allowedTenants: ['contoso.onmicrosoft.com'], authority: 'login.microsoftonline.com', type: 'aad' });
  await put('authorizationServers/oauth1', {
    displayName: 'OAuth one',
    clientRegistrationEndpoint: 'https://auth.example/register',
    authorizationEndpoint: 'https://auth.example/authorize',
    tokenEndpoint: 'https://auth.example/token',
    grantTypes: ['authorizationCode'],
    clientId: 'oauth-client',
    clientSecret: 'oauth-secret',
    bearerTokenSendingMethods: ['authorizationHeader'],
  });
  await put('openidConnectProviders/oidc1', { displayName: 'OIDC one', metadataEndpoint: 'https://oidc.example/.well-known/openid-configuration', clientId: 'oidc-client', clientSecret: 'oidc-secret', useInTestConsole: true });
  await put('policies/policy', { format: 'rawxml', value: policies('<set-header name="x-global" exists-action="override">\n      <value>1</value>\n    </set-header>') });
  await populateObservability(put);
}
