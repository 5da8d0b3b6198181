/**
 * validate-azure-ad-token against a loopback stand-in for Microsoft Entra ID (its v2.0 and v1
 * discovery documents and keys, reached through the configurable authority), with the real
 * compiler, pipeline and echo backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { CompactEncrypt, generateKeyPair, SignJWT } from 'jose';
import type { JwtObject } from '../../src/policies/validate-jwt/jwt-object.js';
import { expectCompileError, runPolicies, useEchoBackend, type HarnessRequest } from '../helpers/policy-harness.js';
import { selfSignedCertificate } from '../helpers/tls-test-servers.js';
import { entraKeyId, startEntraServer, type EntraServer } from '../helpers/entra-server.js';

const echo = useEchoBackend();
let entra: EntraServer;
before(async () => {
  entra = await startEntraServer();
});
after(async () => {
  await entra.close();
});

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientApp = '0f3b6c1e-1111-4c2a-9d7e-000000000001';
const backendApp = '5e0c7d2a-2222-4b1f-8e6d-000000000002';
const doc = (policy: string, onError = '') => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend><outbound /><on-error>${onError}</on-error></policies>`;
const bearer = (token: string): HarnessRequest => ({ headers: { authorization: `Bearer ${token}` } });
const call = (policy: string, request: HarnessRequest, onError = '') => runPolicies({ serviceUrl: echo.url, entraAuthority: entra.url, api: doc(policy, onError) }, request);
const v2Token = (claims: Record<string, unknown> = {}) =>
  entra.sign({ iss: entra.issuerV2(tenant), tid: tenant, aud: `api://${backendApp}`, azp: clientApp, sub: 'user-1', ver: '2.0', ...claims });

const standard = `<validate-azure-ad-token tenant-id="${tenant}" output-token-variable-name="jwt">
    <client-application-ids><application-id>${clientApp}</application-id></client-application-ids>
    <audiences><audience>api://${backendApp}</audience></audiences>
    <required-claims><claim name="sub" /></required-claims>
  </validate-azure-ad-token>`;

function assertRefused(r: Awaited<ReturnType<typeof runPolicies>>, reason: string, message: RegExp, body = 'Invalid JWT.', status = 401) {
  assert.equal(r.status, status);
  assert.deepEqual(r.json(), { statusCode: status, message: body });
  assert.equal(r.gw.lastError?.source, 'validate-azure-ad-token');
  assert.equal(r.gw.lastError?.reason, reason);
  assert.match(r.gw.lastError?.message ?? '', message);
  assert.equal(r.gw.forwarded, false);
}

describe('validate-azure-ad-token', () => {
  it("accepts a v2.0 token of the tenant, audience and client application, and keeps it as a Jwt", async () => {
    const token = await v2Token();
    const r = await call(standard, bearer(token));
    assert.equal(r.status, 200);
    assert.equal(r.json<{ headers: Record<string, string> }>().headers.authorization, `Bearer ${token}`);
    const jwt = r.gw.variables.get('jwt') as JwtObject;
    assert.deepEqual([jwt.Subject, jwt.Audiences, jwt.Issuer], ['user-1', [`api://${backendApp}`], entra.issuerV2(tenant)]);
    assert.ok(entra.fetches[`/${tenant}/v2.0/.well-known/openid-configuration`]! >= 1);
  });

  it('accepts a v1 token (issuer sts.windows.net, client in appid)', async () => {
    const token = await entra.sign({ iss: `https://sts.windows.net/${tenant}/`, tid: tenant, aud: `api://${backendApp}`, appid: clientApp, sub: 'user-1', ver: '1.0' });
    assert.equal((await call(standard, bearer(token))).status, 200);
  });

  it('refuses a token for another audience', async () => {
    assertRefused(await call(standard, bearer(await v2Token({ aud: 'api://someone-else' }))), 'TokenAudienceNotAllowed', /Audiences: 'api:\/\/someone-else'/);
  });

  it('refuses a token without a required claim', async () => {
    assertRefused(await call(standard, bearer(await v2Token({ sub: undefined }))), 'TokenClaimNotFound', /missing the following claims: sub/);
  });

  it('refuses a token of another client application', async () => {
    assertRefused(await call(standard, bearer(await v2Token({ azp: 'ffffffff-0000-0000-0000-000000000000' }))), 'TokenClientApplicationNotAllowed', /Client application: 'ffffffff-/);
    assertRefused(await call(standard, bearer(await v2Token({ azp: undefined }))), 'TokenClientApplicationNotAllowed', /Client application: 'empty'/);
  });

  it("refuses another tenant's issuer, an unknown key and an expired token", async () => {
    assertRefused(await call(standard, bearer(await v2Token({ iss: entra.issuerV2('another-tenant') }))), 'TokenIssuerNotAllowed', /Issuer validation failed/);
    const stranger = await generateKeyPair('RS256');
    const forged = await new SignJWT({ iss: entra.issuerV2(tenant), aud: `api://${backendApp}`, azp: clientApp, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 })
      .setProtectedHeader({ alg: 'RS256', kid: entraKeyId })
      .sign(stranger.privateKey);
    assertRefused(await call(standard, bearer(forged)), 'TokenSignatureInvalid', /Signature validation failed/);
    assertRefused(await call(standard, bearer(await v2Token({ exp: Math.floor(Date.now() / 1000) - 60 }))), 'TokenExpired', /token is expired/);
  });

  it('takes backend-application-ids as audiences (the id or its api:// URI)', async () => {
    const policy = `<validate-azure-ad-token tenant-id="${tenant}"><backend-application-ids><application-id>${backendApp}</application-id></backend-application-ids></validate-azure-ad-token>`;
    assert.equal((await call(policy, bearer(await v2Token({ aud: backendApp })))).status, 200);
    assert.equal((await call(policy, bearer(await v2Token()))).status, 200);
    assertRefused(await call(policy, bearer(await v2Token({ aud: 'api://other' }))), 'TokenAudienceNotAllowed', /api:\/\/other/);
  });

  it('with tenant "organizations" accepts any tenant through the {tenantid} issuer template', async () => {
    const other = '11111111-2222-3333-4444-555555555555';
    const policy = `<validate-azure-ad-token tenant-id="organizations"><client-application-ids><application-id>${clientApp}</application-id></client-application-ids></validate-azure-ad-token>`;
    assert.equal((await call(policy, bearer(await v2Token({ iss: entra.issuerV2(other), tid: other })))).status, 200);
    assertRefused(await call(policy, bearer(await v2Token({ iss: entra.issuerV2(other), tid: tenant }))), 'TokenIssuerNotAllowed', /Issuer validation failed/);
  });

  it('reads the token from a query parameter or an expression, and a tenant URL names its own authority', async () => {
    const token = await v2Token();
    const byQuery = `<validate-azure-ad-token tenant-id="${entra.url}/${tenant}" query-parameter-name="access_token"><client-application-ids><application-id>${clientApp}</application-id></client-application-ids></validate-azure-ad-token>`;
    const r = await runPolicies({ serviceUrl: echo.url, api: doc(byQuery) }, { url: `http://gateway.test/api/op?access_token=${token}` });
    assert.equal(r.status, 200);
    const byValue = `<set-variable name="accessToken" value="${token}" /><validate-azure-ad-token tenant-id="${tenant}" token-value="@((string)context.Variables[&quot;accessToken&quot;])"><client-application-ids><application-id>${clientApp}</application-id></client-application-ids></validate-azure-ad-token>`;
    assert.equal((await call(byValue, {})).status, 200);
  });

  it('answers "JWT not present." without a token, with the configured status and message otherwise', async () => {
    assertRefused(await call(standard, {}), 'TokenNotPresent', /^JWT not present\.$/, 'JWT not present.');
    const custom = `<validate-azure-ad-token tenant-id="${tenant}" failed-validation-httpcode="403" failed-validation-error-message="Unauthorized. Access token is missing or invalid."><audiences><audience>api://${backendApp}</audience></audiences></validate-azure-ad-token>`;
    assertRefused(await call(custom, bearer(await v2Token({ aud: 'x' }))), 'TokenAudienceNotAllowed', /Audiences: 'x'/, 'Unauthorized. Access token is missing or invalid.', 403);
    assertRefused(await call(standard, bearer('not-a-jwt')), 'JwtInvalid', /./);
  });
});

describe('validate-azure-ad-token: encrypted tokens', () => {
  it('decrypts with decryption-keys, then validates the Entra token inside', async () => {
    const key = randomBytes(64);
    const policy = `<validate-azure-ad-token tenant-id="${tenant}">
        <client-application-ids><application-id>${clientApp}</application-id></client-application-ids>
        <decryption-keys><key>${key.toString('base64')}</key></decryption-keys>
      </validate-azure-ad-token>`;
    const seal = async (inner: string) => new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', cty: 'JWT' }).encrypt(key);
    assert.equal((await call(policy, bearer(await seal(await v2Token())))).status, 200);
    assertRefused(await call(policy, bearer(await seal(await v2Token({ azp: 'someone' })))), 'TokenClientApplicationNotAllowed', /someone/);
  });

  it('decrypts an RSA-OAEP-256 token with the private key of a certificate stored as PEM (certificate-id)', async () => {
    const pem = await selfSignedCertificate('entra-token-decryption', {}, 'rsa');
    const certificates = [{ name: 'token-decryption', subject: '', thumbprint: '', expirationDate: '', data: pem.cert + pem.key }];
    const policy = `<validate-azure-ad-token tenant-id="${tenant}">
        <client-application-ids><application-id>${clientApp}</application-id></client-application-ids>
        <decryption-keys><key certificate-id="token-decryption" /></decryption-keys>
      </validate-azure-ad-token>`;
    const sealFor = async (key: Parameters<CompactEncrypt['encrypt']>[0]) =>
      new CompactEncrypt(new TextEncoder().encode(await v2Token())).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512', cty: 'JWT' }).encrypt(key);
    const run = async (token: string) => runPolicies({ serviceUrl: echo.url, entraAuthority: entra.url, api: doc(policy), certificates }, bearer(token));
    assert.equal((await run(await sealFor(createPublicKey(pem.cert)))).status, 200);
    assertRefused(await run(await sealFor((await generateKeyPair('RSA-OAEP-256')).publicKey)), 'JwtInvalid', /none of the decryption keys could decrypt/);
  });
});

describe('validate-azure-ad-token refused at save time', () => {
  const cases: Array<[string, RegExp]> = [
    ['<validate-azure-ad-token />', /required attribute 'tenant-id'/],
    ['<validate-azure-ad-token tenant-id="a/b" />', /not a tenant ID/],
    ['<validate-azure-ad-token tenant-id="t" header-name="A" query-parameter-name="q" />', /At most one of the 'header-name'/],
    ['<validate-azure-ad-token tenant-id="t"><issuers><issuer>x</issuer></issuers></validate-azure-ad-token>', /'issuers' is not allowed in 'validate-azure-ad-token'/],
    ['<validate-azure-ad-token tenant-id="t"><audiences><audience>a</audience></audiences><client-application-ids><application-id>c</application-id></client-application-ids></validate-azure-ad-token>', /'client-application-ids' must come before 'audiences'/],
    ['<validate-azure-ad-token tenant-id="t"><client-application-ids><application-id>@("c")</application-id></client-application-ids></validate-azure-ad-token>', /does not accept policy expressions/],
    ['<validate-azure-ad-token tenant-id="t"><client-application-ids /></validate-azure-ad-token>', /At least one 'application-id'/],
    ['<validate-azure-ad-token tenant-id="t"><audiences><audience>a</audience></audiences><audiences><audience>b</audience></audiences></validate-azure-ad-token>', /may appear only once/],
    ['<validate-azure-ad-token tenant-id="t" require-scheme="Bearer" />', /'require-scheme' attribute is not declared/],
    ['<validate-azure-ad-token tenant-id="t"><decryption-keys><key>AAAA</key></decryption-keys></validate-azure-ad-token>', /decryption key of 3 bytes/],
  ];
  for (const [xml, reason] of cases) it(xml, () => assert.match(expectCompileError(doc(xml)).reason, reason));
  it('outside inbound', () => {
    assert.match(expectCompileError('<policies><inbound /><outbound><validate-azure-ad-token tenant-id="t" /></outbound></policies>').reason, /not allowed in the 'outbound' section/);
  });
});
