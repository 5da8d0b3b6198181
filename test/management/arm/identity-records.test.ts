/**
 * Identity providers, authorization servers and OpenID Connect providers over the real
 * management API: Azure's shapes and 400s, client secrets sealed at rest, absent from GET and
 * lists, answered by `listSecrets`, kept by an update that leaves them out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });

describe('identity records', () => {
  let m: ManagementHarness;
  before(async () => {
    m = await startManagement();
  });
  after(() => m.close());

  it('identity providers: named by type, secret required, sealed, listed by listSecrets', async () => {
    const created = await put(m, 'identityProviders/aadB2C', {
      clientId: 'client-1',
      clientSecret: 'very-secret',
      allowedTenants: ['contosoaadb2c.onmicrosoft.com'],
      signinTenant: 'contosoaadb2c.onmicrosoft.com',
      signupPolicyName: 'B2C_1_SignUp',
      signinPolicyName: 'B2C_1_SignIn',
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/identityProviders');
    assert.equal(created.body.properties.type, 'aadB2C');
    assert.equal(created.body.properties.clientSecret, undefined);
    assert.ok(!(await m.call('GET', 'identityProviders')).text.includes('very-secret'));
    const stored = await m.store.get('identityProviders/aadB2C');
    assert.notEqual(stored!.body.clientSecret, 'very-secret', 'sealed at rest');
    assert.deepEqual((await m.call('POST', 'identityProviders/aadB2C/listSecrets')).body, { clientSecret: 'very-secret' });
    const patched = await m.call('PATCH', 'identityProviders/aadB2C', { body: { properties: { clientId: 'client-2' } }, headers: { 'if-match': '*' } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual((await m.call('POST', 'identityProviders/aadB2C/listSecrets')).body, { clientSecret: 'very-secret' }, 'an update without the secret keeps it');
  });

  it('identity providers: refuses other names, a missing secret, a wrong type and too many tenants', async () => {
    const name = await put(m, 'identityProviders/github', { clientId: 'c', clientSecret: 's' });
    assert.equal(name.status, 400);
    assert.equal(name.body.error.details[0].target, 'name');
    const secret = await put(m, 'identityProviders/google', { clientId: 'c' });
    assert.equal(secret.status, 400);
    assert.deepEqual(secret.body.error.details, [{ code: 'ValidationError', target: 'clientSecret', message: "'clientSecret' is required." }]);
    const type = await put(m, 'identityProviders/google', { clientId: 'c', clientSecret: 's', type: 'facebook' });
    assert.equal(type.body.error.details[0].target, 'type');
    const tenants = await put(m, 'identityProviders/aad', { clientId: 'c', clientSecret: 's', allowedTenants: Array.from({ length: 33 }, (_, i) => `t${i}`) });
    assert.equal(tenants.body.error.details[0].target, 'allowedTenants');
    const library = await put(m, 'identityProviders/aad', { clientId: 'c', clientSecret: 's', clientLibrary: 'x'.repeat(17) });
    assert.equal(library.body.error.details[0].target, 'clientLibrary');
    const clientId = await put(m, 'identityProviders/aad', { clientSecret: 's' });
    assert.equal(clientId.body.error.details[0].target, 'clientId');
    assert.equal((await m.call('GET', 'identityProviders/google')).status, 404);
  });

  it('authorization servers: required fields and enums, both secrets sealed', async () => {
    const server = {
      displayName: 'test3',
      description: 'test server',
      clientRegistrationEndpoint: 'https://www.contoso.com/apps',
      authorizationEndpoint: 'https://www.contoso.com/oauth2/auth',
      authorizationMethods: ['GET'],
      tokenEndpoint: 'https://www.contoso.com/oauth2/token',
      supportState: true,
      defaultScope: 'read write',
      grantTypes: ['authorizationCode', 'implicit'],
      bearerTokenSendingMethods: ['authorizationHeader'],
      clientId: '1',
      clientSecret: '2',
      resourceOwnerUsername: 'un',
      resourceOwnerPassword: 'pwd',
      tokenBodyParameters: [{ name: 'audience', value: 'api' }],
      clientAuthenticationMethod: ['Basic'],
    };
    const created = await put(m, 'authorizationServers/newauthServer', server);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.properties.clientSecret, undefined);
    assert.equal(created.body.properties.resourceOwnerPassword, undefined);
    assert.equal(created.body.properties.resourceOwnerUsername, 'un');
    assert.deepEqual((await m.call('POST', 'authorizationServers/newauthServer/listSecrets')).body, { clientSecret: '2', resourceOwnerPassword: 'pwd', resourceOwnerUsername: 'un' });
    const missing = await put(m, 'authorizationServers/bad', { displayName: 'x' });
    assert.deepEqual(missing.body.error.details.map((d: { target: string }) => d.target).sort(), ['authorizationEndpoint', 'clientId', 'clientRegistrationEndpoint', 'grantTypes']);
    const grant = await put(m, 'authorizationServers/bad', { ...server, grantTypes: ['password'] });
    assert.equal(grant.body.error.details[0].target, 'grantTypes[0]');
    const longName = await put(m, 'authorizationServers/bad', { ...server, displayName: 'n'.repeat(51) });
    assert.equal(longName.body.error.details[0].target, 'displayName');
    const parameter = await put(m, 'authorizationServers/bad', { ...server, tokenBodyParameters: [{ name: 'x' }] });
    assert.equal(parameter.body.error.details[0].target, 'tokenBodyParameters[0].value');
  });

  it('OpenID Connect providers: required fields, secret sealed and listed', async () => {
    const created = await put(m, 'openidConnectProviders/templateOpenIdConnect3', {
      displayName: 'templateoidprovider3',
      metadataEndpoint: 'https://oidprovider-template3.net',
      clientId: 'oidprovidertemplate3',
      clientSecret: 'x',
      useInTestConsole: false,
      useInApiDocumentation: true,
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.ApiManagement/service/openidConnectProviders');
    assert.equal(created.body.properties.clientSecret, undefined);
    assert.deepEqual((await m.call('POST', 'openidConnectProviders/templateOpenIdConnect3/listSecrets')).body, { clientSecret: 'x' });
    const noSecret = await put(m, 'openidConnectProviders/plain', { displayName: 'p', metadataEndpoint: 'https://p', clientId: 'c' });
    assert.equal(noSecret.status, 201);
    assert.deepEqual((await m.call('POST', 'openidConnectProviders/plain/listSecrets')).body, {});
    const missing = await put(m, 'openidConnectProviders/bad', { displayName: 'p' });
    assert.deepEqual(missing.body.error.details.map((d: { target: string }) => d.target).sort(), ['clientId', 'metadataEndpoint']);
    const filtered = await m.call('GET', "openidConnectProviders?$filter=name eq 'plain'");
    assert.deepEqual(filtered.body.value.map((p: { name: string }) => p.name), ['plain']);
  });
});
