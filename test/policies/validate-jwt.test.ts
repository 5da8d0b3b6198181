import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactEncrypt, EncryptJWT, exportJWK, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT, type JWK, type KeyLike } from 'jose';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import type { JwtObject } from '../../src/policies/validate-jwt/jwt-object.js';
import { packPfx, selfSignedCertificate } from '../helpers/tls-test-servers.js';
import { compileOnly, expectCompileError, manualClock, runPolicies, type HarnessRequest, type HarnessSetup } from '../helpers/policy-harness.js';

let backend: EchoBackend;
const secret = randomBytes(32);
const secretB64 = secret.toString('base64');
const otherSecret = randomBytes(32);
let rsa: { privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };

before(async () => {
  backend = await startEchoBackend();
  const pair = await generateKeyPair('RS256');
  rsa = { ...pair, jwk: await exportJWK(pair.publicKey) };
});
after(async () => {
  await backend.close();
});

const start = Date.UTC(2026, 0, 1);
const nowSeconds = () => Math.floor(start / 1000);
const inbound = (xml: string) => `<policies><inbound>${xml}</inbound><backend><forward-request /></backend></policies>`;
const hsKeys = `<issuer-signing-keys><key>${secretB64}</key></issuer-signing-keys>`;

interface TokenOptions {
  claims?: Record<string, unknown>;
  exp?: number | null;
  nbf?: number;
  key?: Uint8Array | KeyLike;
  alg?: string;
  kid?: string;
}

/** Signs a token valid for an hour from the test clock's start unless told otherwise. */
async function token(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'user-1', ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt(nowSeconds());
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowSeconds() + 3600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.key ?? secret);
}

async function call(policy: string, request: HarnessRequest = {}, setup: Partial<HarnessSetup> = {}) {
  return runPolicies({ serviceUrl: backend.url, api: inbound(policy), clock: manualClock(start), ...setup }, request);
}
const bearer = (t: string): HarnessRequest => ({ headers: { Authorization: `Bearer ${t}` } });

function assertRejected(r: Awaited<ReturnType<typeof runPolicies>>, reason: string, message: string | RegExp, body = 'Invalid JWT.', status = 401) {
  assert.equal(r.status, status);
  assert.deepEqual(r.json(), { statusCode: status, message: body });
  assert.equal(r.gw.lastError?.source, 'validate-jwt');
  assert.equal(r.gw.lastError?.reason, reason);
  if (typeof message === 'string') assert.equal(r.gw.lastError?.message, message);
  else assert.match(r.gw.lastError?.message ?? '', message);
  assert.equal(r.gw.forwarded, false);
}

describe('validate-jwt: token sources', () => {
  const policy = `<validate-jwt header-name="Authorization">${hsKeys}</validate-jwt>`;

  it('accepts a valid HS256 token from the Authorization header and forwards the request', async () => {
    const t = await token();
    const r = await call(policy, bearer(t));
    assert.equal(r.status, 200);
    assert.equal(r.json<{ headers: Record<string, string> }>().headers.authorization, `Bearer ${t}`);
    assert.equal(r.gw.lastError, null);
  });

  it('answers 401 "JWT not present." when the header is missing or empty', async () => {
    assertRejected(await call(policy), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
    assertRejected(await call(policy, { headers: { Authorization: '' } }), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
  });

  it('honours require-scheme on the Authorization header only', async () => {
    const t = await token();
    const withScheme = `<validate-jwt header-name="Authorization" require-scheme="Bearer">${hsKeys}</validate-jwt>`;
    assert.equal((await call(withScheme, bearer(t))).status, 200);
    assert.equal((await call(withScheme, { headers: { Authorization: `bearer ${t}` } })).status, 200);
    assertRejected(await call(withScheme, { headers: { Authorization: t } }), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
    assertRejected(await call(withScheme, { headers: { Authorization: `Basic ${t}` } }), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
    const custom = `<validate-jwt header-name="X-Token" require-scheme="Bearer">${hsKeys}</validate-jwt>`;
    assert.equal((await call(custom, { headers: { 'X-Token': t } })).status, 200, 'ignored on a custom header');
  });

  it('reads the token from a query parameter', async () => {
    const policyQ = `<validate-jwt query-parameter-name="access_token">${hsKeys}</validate-jwt>`;
    assert.equal((await call(policyQ, { url: `http://gw.test/api/op?access_token=${await token()}` })).status, 200);
    assertRejected(await call(policyQ, { url: 'http://gw.test/api/op?other=1' }), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
  });

  it('reads the token from token-value', async () => {
    assert.equal((await call(`<validate-jwt token-value="${await token()}">${hsKeys}</validate-jwt>`)).status, 200);
    assertRejected(await call(`<validate-jwt token-value="">${hsKeys}</validate-jwt>`), 'TokenNotPresent', 'JWT not present.', 'JWT not present.');
  });

  it('uses failed-validation-httpcode and failed-validation-error-message', async () => {
    const p = `<validate-jwt header-name="Authorization" failed-validation-httpcode="403" failed-validation-error-message="Unauthorized. Access token is missing or invalid.">${hsKeys}</validate-jwt>`;
    assertRejected(await call(p), 'TokenNotPresent', 'JWT not present.', 'Unauthorized. Access token is missing or invalid.', 403);
    const t = await token({ key: otherSecret });
    assertRejected(await call(p, bearer(t)), 'TokenSignatureInvalid', 'Signature validation failed. Access denied.', 'Unauthorized. Access token is missing or invalid.', 403);
  });

  it('runs the validate-jwt of the corpus snippet with a named-value key', async () => {
    const xml = readFileSync(new URL('../fixtures/corpus/policy-snippets/Use custom error messages for jwt-validate policy with on-error handler.policy.xml', import.meta.url), 'utf8');
    const element = /<validate-jwt[\s\S]*?<\/validate-jwt>/.exec(xml)![0];
    const setup = { namedValues: { 'base64-encoded-hashing-secret': secretB64 } };
    assert.equal((await call(element, bearer(await token()), setup)).status, 200);
    assertRejected(await call(element, bearer(await token({ key: otherSecret })), setup), 'TokenSignatureInvalid', /Signature validation failed/, 'jwt validation failed');
  });
});

describe('validate-jwt: token checks', () => {
  const policy = `<validate-jwt header-name="Authorization">${hsKeys}</validate-jwt>`;

  it('rejects malformed tokens with JwtInvalid', async () => {
    assertRejected(await call(policy, bearer('not-a-jwt')), 'JwtInvalid', /.+/);
    assertRejected(await call(policy, bearer('a.b.c')), 'JwtInvalid', /.+/);
  });

  it('rejects expired tokens with TokenExpired, allowing clock-skew', async () => {
    const t = await token({ exp: nowSeconds() - 30 });
    assertRejected(
      await call(policy, bearer(t)),
      'TokenExpired',
      `Lifetime validation failed. The token is expired. ValidTo: '${new Date((nowSeconds() - 30) * 1000).toISOString()}', Current time: '${new Date(start).toISOString()}'. Access denied.`,
    );
    assert.equal((await call(`<validate-jwt header-name="Authorization" clock-skew="60">${hsKeys}</validate-jwt>`, bearer(t))).status, 200);
    assertRejected(await call(`<validate-jwt header-name="Authorization" clock-skew="10">${hsKeys}</validate-jwt>`, bearer(t)), 'TokenExpired', /expired/);
  });

  it('follows the injected clock', async () => {
    const t = await token({ exp: nowSeconds() + 60 });
    const clock = manualClock(start);
    assert.equal((await call(policy, bearer(t), { clock })).status, 200);
    clock.advance(61_000);
    assertRejected(await call(policy, bearer(t), { clock }), 'TokenExpired', /expired/);
  });

  it('requires exp unless require-expiration-time is false', async () => {
    const t = await token({ exp: null });
    assertRejected(await call(policy, bearer(t)), 'JwtInvalid', 'Lifetime validation failed. The token is missing an Expiration Time.');
    assert.equal((await call(`<validate-jwt header-name="Authorization" require-expiration-time="false">${hsKeys}</validate-jwt>`, bearer(t))).status, 200);
  });

  it('rejects tokens that are not yet valid, allowing clock-skew', async () => {
    const t = await token({ nbf: nowSeconds() + 120 });
    assertRejected(await call(policy, bearer(t)), 'JwtInvalid', /^Lifetime validation failed\. The token is not yet valid\./);
    assert.equal((await call(`<validate-jwt header-name="Authorization" clock-skew="300">${hsKeys}</validate-jwt>`, bearer(t))).status, 200);
  });

  it('rejects a wrong signature with TokenSignatureInvalid', async () => {
    assertRejected(await call(policy, bearer(await token({ key: otherSecret }))), 'TokenSignatureInvalid', 'Signature validation failed. Access denied.');
    const t = await token();
    const tampered = t.slice(0, t.lastIndexOf('.') + 1) + 'AAAA' + t.slice(t.lastIndexOf('.') + 5);
    assertRejected(await call(policy, bearer(tampered)), 'TokenSignatureInvalid', 'Signature validation failed. Access denied.');
  });

  it('rejects unsigned tokens unless require-signed-tokens is false', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'x' }).setIssuedAt(nowSeconds()).setExpirationTime(nowSeconds() + 60).encode();
    assertRejected(await call(policy, bearer(unsigned)), 'TokenSignatureInvalid', 'Unable to validate signature, token does not have a signature. Access denied.');
    assert.equal((await call(`<validate-jwt header-name="Authorization" require-signed-tokens="false">${hsKeys}</validate-jwt>`, bearer(unsigned))).status, 200);
  });

  it('checks audiences (string or array claim)', async () => {
    const p = `<validate-jwt header-name="Authorization">${hsKeys}<audiences><audience>api://one</audience><audience>api://two</audience></audiences></validate-jwt>`;
    assert.equal((await call(p, bearer(await token({ claims: { aud: 'api://two' } })))).status, 200);
    assert.equal((await call(p, bearer(await token({ claims: { aud: ['x', 'api://one'] } })))).status, 200);
    assertRejected(await call(p, bearer(await token({ claims: { aud: ['x', 'y'] } }))), 'TokenAudienceNotAllowed', "Audience validation failed. Audiences: 'x, y'. Access denied.");
    assertRejected(await call(p, bearer(await token())), 'TokenAudienceNotAllowed', "Audience validation failed. Audiences: 'empty'. Access denied.");
  });

  it('checks issuers', async () => {
    const p = `<validate-jwt header-name="Authorization">${hsKeys}<issuers><issuer>http://contoso.com/</issuer></issuers></validate-jwt>`;
    assert.equal((await call(p, bearer(await token({ claims: { iss: 'http://contoso.com/' } })))).status, 200);
    assertRejected(await call(p, bearer(await token({ claims: { iss: 'http://evil.com/' } }))), 'TokenIssuerNotAllowed', "Issuer validation failed. Issuer: 'http://evil.com/'. Access denied.");
  });

  it('checks signature before lifetime, audience and issuer', async () => {
    const p = `<validate-jwt header-name="Authorization">${hsKeys}<audiences><audience>a</audience></audiences><issuers><issuer>i</issuer></issuers></validate-jwt>`;
    const t = await token({ key: otherSecret, exp: nowSeconds() - 100, claims: { aud: 'b', iss: 'j' } });
    assert.equal((await call(p, bearer(t))).gw.lastError?.reason, 'TokenSignatureInvalid');
    const t2 = await token({ exp: nowSeconds() - 100, claims: { aud: 'b', iss: 'j' } });
    assert.equal((await call(p, bearer(t2))).gw.lastError?.reason, 'TokenExpired');
    const t3 = await token({ claims: { aud: 'b', iss: 'j' } });
    assert.equal((await call(p, bearer(t3))).gw.lastError?.reason, 'TokenAudienceNotAllowed');
  });

  it('stores the decoded token in output-token-variable-name', async () => {
    const t = await token({ claims: { aud: 'api://one', iss: 'http://contoso.com/', group: ['finance', 'ops'], jti: 'id-7' } });
    const r = await call(`<validate-jwt header-name="Authorization" output-token-variable-name="jwt">${hsKeys}</validate-jwt>`, bearer(t));
    assert.equal(r.status, 200);
    const jwt = r.gw.variables.get('jwt') as JwtObject;
    assert.equal(jwt.Algorithm, 'HS256');
    assert.deepEqual(jwt.Audiences, ['api://one']);
    assert.equal(jwt.Issuer, 'http://contoso.com/');
    assert.equal(jwt.Subject, 'user-1');
    assert.equal(jwt.Id, 'id-7');
    assert.equal(jwt.Type, 'JWT');
    assert.deepEqual(jwt.Claims.group, ['finance', 'ops']);
    assert.equal(jwt.ExpirationTime?.getTime(), (nowSeconds() + 3600) * 1000);
    assert.equal(jwt.IssuedAt?.getTime(), nowSeconds() * 1000);
    assert.equal(jwt.NotBefore, null);
    const failed = await call(`<validate-jwt header-name="Authorization" output-token-variable-name="jwt">${hsKeys}</validate-jwt>`);
    assert.equal(failed.gw.variables.has('jwt'), false);
  });
});

describe('validate-jwt: required claims', () => {
  const claims = (xml: string) => `<validate-jwt header-name="Authorization">${hsKeys}<required-claims>${xml}</required-claims></validate-jwt>`;

  it('reports every missing claim with TokenClaimNotFound', async () => {
    const p = claims('<claim name="group"><value>finance</value></claim><claim name="role" /><claim name="sub" />');
    assertRejected(await call(p, bearer(await token())), 'TokenClaimNotFound', 'JWT token is missing the following claims: group, role. Access denied.');
  });

  it('match="all" (default) needs every value', async () => {
    const p = claims('<claim name="group"><value>finance</value><value>ops</value></claim>');
    assert.equal((await call(p, bearer(await token({ claims: { group: ['ops', 'finance', 'x'] } })))).status, 200);
    assertRejected(await call(p, bearer(await token({ claims: { group: ['finance'] } }))), 'TokenClaimValueNotAllowed', 'Claim group value of finance is not allowed. Access denied.');
  });

  it('match="any" needs one value', async () => {
    const p = claims('<claim name="group" match="any"><value>finance</value><value>logistics</value></claim>');
    assert.equal((await call(p, bearer(await token({ claims: { group: 'logistics' } })))).status, 200);
    assertRejected(await call(p, bearer(await token({ claims: { group: ['hr', 'it'] } }))), 'TokenClaimValueNotAllowed', 'Claim group value of hr,it is not allowed. Access denied.');
  });

  it('splits a string claim by separator', async () => {
    const p = claims('<claim name="scp" match="all" separator=" "><value>read</value><value>write</value></claim>');
    assert.equal((await call(p, bearer(await token({ claims: { scp: 'read write admin' } })))).status, 200);
    assertRejected(await call(p, bearer(await token({ claims: { scp: 'read admin' } }))), 'TokenClaimValueNotAllowed', 'Claim scp value of read admin is not allowed. Access denied.');
    const noSeparator = claims('<claim name="scp"><value>read</value></claim>');
    assert.equal((await call(noSeparator, bearer(await token({ claims: { scp: 'read write' } })))).gw.lastError?.reason, 'TokenClaimValueNotAllowed');
  });

  it('compares non-string claims by their text', async () => {
    const p = claims('<claim name="level"><value>3</value></claim><claim name="admin"><value>true</value></claim>');
    assert.equal((await call(p, bearer(await token({ claims: { level: 3, admin: true } })))).status, 200);
  });
});

describe('validate-jwt: issuer-signing-keys', () => {
  it('verifies RS256 with an n/e key and selects keys by id', async () => {
    const p = `<validate-jwt header-name="Authorization"><issuer-signing-keys>
      <key id="hs">${secretB64}</key><key id="rsa" n="${rsa.jwk.n}" e="${rsa.jwk.e}" /></issuer-signing-keys></validate-jwt>`;
    assert.equal((await call(p, bearer(await token({ alg: 'RS256', key: rsa.privateKey, kid: 'rsa' })))).status, 200);
    assert.equal((await call(p, bearer(await token({ alg: 'RS256', key: rsa.privateKey })))).status, 200, 'no kid: every key is tried');
    assertRejected(
      await call(p, bearer(await token({ alg: 'RS256', key: rsa.privateKey, kid: 'rotated' }))),
      'TokenSignatureKeyNotFound',
      "Signature validation failed. Unable to match key: kid: 'rotated'. Access denied.",
    );
    assertRejected(await call(p, bearer(await token({ alg: 'RS256', key: rsa.privateKey, kid: 'hs' }))), 'TokenSignatureInvalid', /Signature validation failed/);
  });

  it('tries each key until one succeeds (rollover)', async () => {
    const p = `<validate-jwt header-name="Authorization"><issuer-signing-keys><key>${otherSecret.toString('base64')}</key><key>${secretB64}</key></issuer-signing-keys></validate-jwt>`;
    assert.equal((await call(p, bearer(await token()))).status, 200);
  });

  it('supports PS256 and RS512', async () => {
    for (const alg of ['PS256', 'RS512']) {
      const pair = await generateKeyPair(alg);
      const jwk = await exportJWK(pair.publicKey);
      const p = `<validate-jwt header-name="Authorization"><issuer-signing-keys><key n="${jwk.n}" e="${jwk.e}" /></issuer-signing-keys></validate-jwt>`;
      assert.equal((await call(p, bearer(await token({ alg, key: pair.privateKey })))).status, 200, alg);
    }
  });
});

/** A discovery endpoint and JWKS on loopback, counting requests per path. */
class IdentityProvider {
  readonly hits = new Map<string, number>();
  keys: JWK[] = [];
  failing = false;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      if (this.failing) {
        res.writeHead(503).end();
        return;
      }
      const tenant = path.split('/')[1];
      if (path.endsWith('/.well-known/openid-configuration')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: `${this.url}/${tenant}/v2.0`, jwks_uri: `${this.url}/${tenant}/discovery/keys` }));
      } else if (path.endsWith('/discovery/keys')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.keys }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(tenant: string): { config: number; keys: number } {
    return { config: this.hits.get(`/${tenant}/.well-known/openid-configuration`) ?? 0, keys: this.hits.get(`/${tenant}/discovery/keys`) ?? 0 };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('validate-jwt: openid-config', () => {
  const idp = new IdentityProvider();
  before(() => idp.start());
  after(() => idp.stop());

  const policyFor = (tenant: string, extra = '') =>
    `<validate-jwt header-name="Authorization" require-scheme="Bearer"><openid-config url="${idp.url}/${tenant}/.well-known/openid-configuration" />${extra}</validate-jwt>`;
  const signed = (tenant: string, kid: string, key: KeyLike, claims: Record<string, unknown> = {}) =>
    token({ alg: 'RS256', key, kid, claims: { iss: `${idp.url}/${tenant}/v2.0`, ...claims } });

  it('validates with keys from the discovery document and caches them for an hour', async () => {
    idp.keys = [{ ...rsa.jwk, kid: 'k1', use: 'sig' }];
    const clock = manualClock(start);
    const p = policyFor('t-cache');
    for (let i = 0; i < 3; i++) assert.equal((await call(p, bearer(await signed('t-cache', 'k1', rsa.privateKey)), { clock })).status, 200);
    assert.deepEqual(idp.count('t-cache'), { config: 1, keys: 1 });
    clock.advance(59 * 60_000);
    assert.equal((await call(p, bearer(await signed('t-cache', 'k1', rsa.privateKey, { exp: nowSeconds() + 7200 })), { clock })).status, 200);
    assert.deepEqual(idp.count('t-cache'), { config: 1, keys: 1 });
    clock.advance(2 * 60_000);
    await call(p, bearer(await signed('t-cache', 'k1', rsa.privateKey, { exp: nowSeconds() + 7200 })), { clock });
    assert.deepEqual(idp.count('t-cache'), { config: 2, keys: 2 }, 'refreshed after an hour');
  });

  it('refetches on an unknown kid at most once per 5 minutes', async () => {
    idp.keys = [{ ...rsa.jwk, kid: 'old' }];
    const clock = manualClock(start);
    const p = policyFor('t-rotate');
    assert.equal((await call(p, bearer(await signed('t-rotate', 'old', rsa.privateKey)), { clock })).status, 200);
    assert.deepEqual(idp.count('t-rotate'), { config: 1, keys: 1 });

    const next = await generateKeyPair('RS256');
    const nextJwk = { ...(await exportJWK(next.publicKey)), kid: 'new' };
    // Not yet published: the unknown kid triggers a refetch only if 5 minutes passed since the last one.
    clock.advance(60_000);
    const early = await call(p, bearer(await signed('t-rotate', 'new', next.privateKey)), { clock });
    assertRejected(early, 'TokenSignatureKeyNotFound', "Signature validation failed. Unable to match key: kid: 'new'. Access denied.");
    assert.deepEqual(idp.count('t-rotate'), { config: 1, keys: 1 });

    clock.advance(4 * 60_000);
    idp.keys = [{ ...rsa.jwk, kid: 'old' }, nextJwk];
    assert.equal((await call(p, bearer(await signed('t-rotate', 'new', next.privateKey)), { clock })).status, 200);
    assert.deepEqual(idp.count('t-rotate'), { config: 2, keys: 2 });

    // Another unknown kid right away does not hit the endpoint again.
    const again = await call(p, bearer(await signed('t-rotate', 'newer', next.privateKey)), { clock });
    assert.equal(again.gw.lastError?.reason, 'TokenSignatureKeyNotFound');
    assert.deepEqual(idp.count('t-rotate'), { config: 2, keys: 2 });
  });

  it("enforces the discovery document's issuer", async () => {
    idp.keys = [{ ...rsa.jwk, kid: 'k1' }];
    const p = policyFor('t-iss');
    const wrong = await call(p, bearer(await signed('t-iss', 'k1', rsa.privateKey, { iss: 'https://elsewhere/' })));
    assertRejected(wrong, 'TokenIssuerNotAllowed', "Issuer validation failed. Issuer: 'https://elsewhere/'. Access denied.");
    const listed = policyFor('t-iss', '<issuers><issuer>https://elsewhere/</issuer></issuers>');
    assert.equal((await call(listed, bearer(await signed('t-iss', 'k1', rsa.privateKey, { iss: 'https://elsewhere/' })))).status, 200);
  });

  it('combines openid-config keys with audiences and required claims', async () => {
    idp.keys = [{ ...rsa.jwk, kid: 'k1' }];
    const p = policyFor('t-combo', '<audiences><audience>api://gatehouse</audience></audiences><required-claims><claim name="roles" match="any"><value>admin</value></claim></required-claims>');
    assert.equal((await call(p, bearer(await signed('t-combo', 'k1', rsa.privateKey, { aud: 'api://gatehouse', roles: ['admin'] })))).status, 200);
    const r = await call(p, bearer(await signed('t-combo', 'k1', rsa.privateKey, { aud: 'api://gatehouse', roles: ['reader'] })));
    assertRejected(r, 'TokenClaimValueNotAllowed', 'Claim roles value of reader is not allowed. Access denied.');
  });

  it('fails closed when the endpoint is down and retries at most once per 5 minutes', async () => {
    idp.keys = [{ ...rsa.jwk, kid: 'k1' }];
    idp.failing = true;
    const clock = manualClock(start);
    const p = policyFor('t-down');
    const r = await call(p, bearer(await signed('t-down', 'k1', rsa.privateKey)), { clock });
    assertRejected(r, 'TokenSignatureKeyNotFound', /^Signature validation failed\. Unable to match key: kid: 'k1'\. Signing keys could not be retrieved: GET .* answered 503\. Access denied\.$/);
    assert.deepEqual(idp.count('t-down'), { config: 1, keys: 0 });
    idp.failing = false;
    clock.advance(60_000);
    assert.equal((await call(p, bearer(await signed('t-down', 'k1', rsa.privateKey)), { clock })).status, 401);
    assert.deepEqual(idp.count('t-down'), { config: 1, keys: 0 }, 'no retry within 5 minutes');
    clock.advance(4 * 60_000);
    assert.equal((await call(p, bearer(await signed('t-down', 'k1', rsa.privateKey)), { clock })).status, 200);
    assert.deepEqual(idp.count('t-down'), { config: 2, keys: 1 });
  });
});

describe('validate-jwt: configuration', () => {
  const bad = (xml: string, reason: RegExp) =>
    assert.throws(() => compileOnly(inbound(xml)), (e: unknown) => e instanceof PolicyCompileError && reason.test(e.reason));

  it('needs exactly one token source', () => {
    bad(`<validate-jwt>${hsKeys}</validate-jwt>`, /Exactly one of the 'header-name', 'query-parameter-name' or 'token-value'/);
    bad(`<validate-jwt header-name="a" query-parameter-name="b">${hsKeys}</validate-jwt>`, /Exactly one/);
  });

  it('checks keys', () => {
    bad('<validate-jwt header-name="a"><issuer-signing-keys><key>not base64!</key></issuer-signing-keys></validate-jwt>', /not valid base64/);
    bad('<validate-jwt header-name="a"><issuer-signing-keys><key n="abc" /></issuer-signing-keys></validate-jwt>', /'n' and 'e' attributes must be specified together/);
    bad('<validate-jwt header-name="a"><issuer-signing-keys><key n="" e="AQAB" /></issuer-signing-keys></validate-jwt>', /RSA key given by 'n' and 'e' is not valid/);
    bad('<validate-jwt header-name="a"><issuer-signing-keys><key certificate-id="my-rsa-cert" /></issuer-signing-keys></validate-jwt>', /Certificate with id 'my-rsa-cert' could not be found/);
    bad('<validate-jwt header-name="a"><issuer-signing-keys /></validate-jwt>', /At least one 'key'/);
    bad('<validate-jwt header-name="a"><decryption-keys><key>AAAA</key></decryption-keys></validate-jwt>', /decryption key of 3 bytes fits none/);
    bad('<validate-jwt header-name="a"><decryption-keys><key>@("x")</key></decryption-keys></validate-jwt>', /cannot be a policy expression/);
    bad('<validate-jwt header-name="a"><decryption-keys><key n="abc" e="AQAB" /></decryption-keys></validate-jwt>', /cannot decrypt a token/);
    bad('<validate-jwt header-name="a"><decryption-keys><key certificate-id="c" /></decryption-keys></validate-jwt>', /Certificate with id 'c' could not be found/);
    bad('<validate-jwt header-name="a"><decryption-keys /></validate-jwt>', /At least one 'key'/);
  });

  it('checks children and attributes', () => {
    bad('<validate-jwt header-name="a"><openid-config /></validate-jwt>', /required attribute 'url'/);
    bad('<validate-jwt header-name="a"><openid-config url="not a url" /></validate-jwt>', /not an absolute http\(s\) URL/);
    bad('<validate-jwt header-name="a"><audiences /></validate-jwt>', /At least one 'audience'/);
    bad('<validate-jwt header-name="a"><scopes /></validate-jwt>', /'scopes' is not allowed/);
    bad('<validate-jwt header-name="a"><required-claims><claim><value>x</value></claim></required-claims></validate-jwt>', /required attribute 'name'/);
    bad('<validate-jwt header-name="a"><required-claims><claim name="c" match="some" /></required-claims></validate-jwt>', /not one of: all, any/);
    bad('<validate-jwt header-name="a" clock-skew="-1" />', /must be at least 0/);
    bad('<validate-jwt header-name="a" require-signed-tokens="maybe" />', /not a valid boolean/);
    bad('<validate-jwt header-name="a" output-token-variable-name="@(1)" />', /does not accept policy expressions|expressions/);
    assert.throws(() => compileOnly('<policies><outbound><validate-jwt header-name="a" /></outbound></policies>'), /'outbound' section/);
  });
});

describe('validate-jwt: encrypted tokens (decryption-keys)', () => {
  const directKey = randomBytes(32);
  const wrapKey = randomBytes(16);
  const keys = `<decryption-keys><key id="enc-2">${wrapKey.toString('base64')}</key><key>${directKey.toString('base64')}</key></decryption-keys>`;
  const policy = `<validate-jwt header-name="Authorization" output-token-variable-name="jwt">${hsKeys}${keys}<audiences><audience>api://orders</audience></audiences></validate-jwt>`;
  /** A signed token wrapped in a JWE (nested JWT, as issuers send encrypted tokens). */
  const nested = async (claims: Record<string, unknown>, alg: string, enc: string, key: Uint8Array, kid?: string) =>
    new CompactEncrypt(new TextEncoder().encode(await token({ claims })))
      .setProtectedHeader({ alg, enc, cty: 'JWT', ...(kid ? { kid } : {}) })
      .encrypt(key);

  it('decrypts with a direct A128CBC-HS256 key and validates the signed token inside', async () => {
    const jwe = await nested({ aud: 'api://orders' }, 'dir', 'A128CBC-HS256', directKey);
    assert.equal(jwe.split('.').length, 5);
    const r = await call(policy, bearer(jwe));
    assert.equal(r.status, 200);
    assert.deepEqual((r.gw.variables.get('jwt') as JwtObject).Audiences, ['api://orders']);
  });

  it('decrypts an A128KW-wrapped A256CBC-HS512 token with the key its kid names', async () => {
    const jwe = await nested({ aud: 'api://orders' }, 'A128KW', 'A256CBC-HS512', wrapKey, 'enc-2');
    assert.equal((await call(policy, bearer(jwe))).status, 200);
  });

  it('still checks the token inside: audience, and its signature', async () => {
    assertRejected(await call(policy, bearer(await nested({ aud: 'api://other' }, 'dir', 'A128CBC-HS256', directKey))), 'TokenAudienceNotAllowed', /api:\/\/other/);
    const forged = await new CompactEncrypt(new TextEncoder().encode(await token({ claims: { aud: 'api://orders' }, key: otherSecret })))
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256', cty: 'JWT' })
      .encrypt(directKey);
    assertRejected(await call(policy, bearer(forged)), 'TokenSignatureInvalid', /Signature validation failed/);
  });

  it('an encrypted claims set without a signature passes only without require-signed-tokens', async () => {
    const bare = await new EncryptJWT({ aud: 'api://orders', sub: 'u' })
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .setExpirationTime(nowSeconds() + 600)
      .encrypt(directKey);
    assertRejected(await call(policy, bearer(bare)), 'TokenSignatureInvalid', /does not have a signature/);
    const lenient = policy.replace('output-token-variable-name="jwt"', 'require-signed-tokens="false"');
    assert.equal((await call(lenient, bearer(bare))).status, 200);
  });

  it('refuses a token no key decrypts, an algorithm Azure does not list, and a JWE without keys', async () => {
    assertRejected(await call(policy, bearer(await nested({}, 'dir', 'A128CBC-HS256', randomBytes(32)))), 'JwtInvalid', /none of the decryption keys could decrypt/);
    assertRejected(await call(policy, bearer(await nested({}, 'dir', 'A256GCM', directKey))), 'JwtInvalid', /none of the decryption keys/);
    const withoutKeys = `<validate-jwt header-name="Authorization">${hsKeys}</validate-jwt>`;
    assertRejected(await call(withoutKeys, bearer(await nested({}, 'dir', 'A128CBC-HS256', directKey))), 'JwtInvalid', /no decryption-keys are configured/);
  });
});

describe('validate-jwt: certificate-id signing keys', () => {
  it("verifies with the public key of a certificates resource's PFX, by name or ARM id", async () => {
    const pair = await selfSignedCertificate('token-issuer');
    const pfx = packPfx(pair, 'pfx-pass');
    const certificates = [{ name: 'Issuer-Cert', subject: 'CN=token-issuer', thumbprint: pfx.thumbprint, expirationDate: '', data: pfx.pfx, password: 'pfx-pass' }];
    const es256 = await token({ alg: 'ES256', key: await importPKCS8(pair.key, 'ES256'), claims: { aud: 'api://orders' } });
    for (const id of ['issuer-cert', '/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/g/certificates/Issuer-Cert']) {
      const r = await call(`<validate-jwt header-name="Authorization"><issuer-signing-keys><key certificate-id="${id}" /></issuer-signing-keys></validate-jwt>`, bearer(es256), { certificates });
      assert.equal(r.status, 200, id);
    }
    const other = await token({ alg: 'ES256', key: (await generateKeyPair('ES256')).privateKey });
    const refused = await call('<validate-jwt header-name="Authorization"><issuer-signing-keys><key certificate-id="issuer-cert" /></issuer-signing-keys></validate-jwt>', bearer(other), { certificates });
    assertRejected(refused, 'TokenSignatureInvalid', 'Signature validation failed. Access denied.');
    const twice = '<policies><inbound><validate-jwt header-name="a"><issuer-signing-keys><key certificate-id="issuer-cert" n="x" e="AQAB" /></issuer-signing-keys></validate-jwt></inbound></policies>';
    assert.match(expectCompileError(twice, 'api', { certificates }).reason, /only one of them/);
  });
});

describe('validate-jwt: certificate-id decryption keys', () => {
  let rsaPem: { cert: string; key: string };
  let certificates: HarnessSetup['certificates'];
  before(async () => {
    rsaPem = await selfSignedCertificate('token-decrypter', {}, 'rsa');
    certificates = [{ name: 'Decrypter', subject: 'CN=token-decrypter', thumbprint: '', expirationDate: '', data: rsaPem.cert + rsaPem.key }];
  });
  const policy = (id = 'decrypter') =>
    `<validate-jwt header-name="Authorization" output-token-variable-name="jwt">${hsKeys}<decryption-keys><key certificate-id="${id}" /></decryption-keys><audiences><audience>api://orders</audience></audiences></validate-jwt>`;
  const encryptFor = async (publicKey: KeyLike | ReturnType<typeof createPublicKey>, alg: string, claims: Record<string, unknown> = { aud: 'api://orders' }) =>
    new CompactEncrypt(new TextEncoder().encode(await token({ claims }))).setProtectedHeader({ alg, enc: 'A256CBC-HS512', cty: 'JWT' }).encrypt(publicKey);

  it('decrypts RSA-OAEP and RSA-OAEP-256 tokens with the private key of a PEM certificate, then validates them', async () => {
    for (const alg of ['RSA-OAEP', 'RSA-OAEP-256']) {
      const r = await call(policy(), bearer(await encryptFor(createPublicKey(rsaPem.cert), alg)), { certificates });
      assert.equal(r.status, 200, alg);
      assert.deepEqual((r.gw.variables.get('jwt') as JwtObject).Audiences, ['api://orders']);
    }
    assertRejected(await call(policy(), bearer(await encryptFor(createPublicKey(rsaPem.cert), 'RSA-OAEP', { aud: 'api://other' })), { certificates }), 'TokenAudienceNotAllowed', /api:\/\/other/);
  });

  it('opens an encrypted PEM key with the certificate password', async () => {
    const sealedKey = createPrivateKey(rsaPem.key).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'key-pass' }) as string;
    const stored = (password: string) => [{ name: 'decrypter', subject: '', thumbprint: '', expirationDate: '', data: rsaPem.cert + sealedKey, password }];
    assert.equal((await call(policy(), bearer(await encryptFor(createPublicKey(rsaPem.cert), 'RSA-OAEP-256')), { certificates: stored('key-pass') })).status, 200);
    assert.match(expectCompileError(inbound(policy()), 'api', { certificates: stored('wrong') }).reason, /cannot decrypt tokens: its private key cannot be opened/);
  });

  it('refuses a token encrypted for another key, and RSA1_5 (Node refuses PKCS#1 v1.5 decryption)', async () => {
    const stranger = await generateKeyPair('RSA-OAEP');
    assertRejected(await call(policy(), bearer(await encryptFor(stranger.publicKey, 'RSA-OAEP')), { certificates }), 'JwtInvalid', 'Decryption failed: none of the decryption keys could decrypt the token. Access denied.');
    assertRejected(await call(policy(), bearer(await encryptFor(createPublicKey(rsaPem.cert), 'RSA1_5')), { certificates }), 'JwtInvalid', /none of the decryption keys/);
  });

  it('a certificate key decrypts only with RSA key management, a symmetric key only with its own', async () => {
    const both = `<validate-jwt header-name="Authorization">${hsKeys}<decryption-keys><key certificate-id="decrypter" /><key>${secretB64}</key></decryption-keys></validate-jwt>`;
    assert.equal((await call(both, bearer(await encryptFor(createPublicKey(rsaPem.cert), 'RSA-OAEP-256')), { certificates })).status, 200);
    const direct = await new CompactEncrypt(new TextEncoder().encode(await token())).setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', cty: 'JWT' }).encrypt(Buffer.concat([secret, secret]));
    assertRejected(await call(both, bearer(direct), { certificates }), 'JwtInvalid', /none of the decryption keys/);
  });

  it('decrypts with the private key of a certificate stored as a PFX, AES (OpenSSL 3) and 3DES (Windows)', async () => {
    for (const args of [[], ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES']]) {
      const pfx = packPfx(rsaPem, 'pfx-pass', args);
      const stored = [{ name: 'decrypter', subject: '', thumbprint: pfx.thumbprint, expirationDate: '', data: pfx.pfx, password: 'pfx-pass' }];
      for (const alg of ['RSA-OAEP', 'RSA-OAEP-256']) {
        const r = await call(policy(), bearer(await encryptFor(createPublicKey(rsaPem.cert), alg)), { certificates: stored });
        assert.equal(r.status, 200, `${args.join(' ')} ${alg}`);
      }
    }
  });

  it('refuses at save time a PFX with a wrong password or without a key, a public certificate, an EC key and text with certificate-id', async () => {
    const ec = await selfSignedCertificate('ec-cert');
    const pfx = packPfx(rsaPem, 'pfx-pass');
    const keyless = packPfx(rsaPem, 'pfx-pass', ['-nokeys']);
    const ecPfx = packPfx(ec, 'pfx-pass');
    const stored = [
      ...certificates!,
      { name: 'wrong-password', subject: '', thumbprint: pfx.thumbprint, expirationDate: '', data: pfx.pfx, password: 'not-it' },
      { name: 'keyless-pfx', subject: '', thumbprint: keyless.thumbprint, expirationDate: '', data: keyless.pfx, password: 'pfx-pass' },
      { name: 'ec-pfx', subject: '', thumbprint: ecPfx.thumbprint, expirationDate: '', data: ecPfx.pfx, password: 'pfx-pass' },
      { name: 'public-only', subject: '', thumbprint: '', expirationDate: '', data: rsaPem.cert },
      { name: 'ec', subject: '', thumbprint: '', expirationDate: '', data: ec.cert + ec.key },
    ];
    const refused = (xml: string) => expectCompileError(inbound(xml), 'api', { certificates: stored });
    assert.equal(refused(policy('wrong-password')).reason, "The certificate 'wrong-password' cannot decrypt tokens: The password of the certificate is not valid for its data.");
    // The certificates resource refuses such a file before it is stored; the policy would too.
    assert.match(refused(policy('keyless-pfx')).reason, /^The certificate 'keyless-pfx' cannot decrypt tokens: 'data' is not a valid \.pfx file \(Unable to load private key/);
    assert.match(refused(policy('ec-pfx')).reason, /its key is ec, RSA \(RSA-OAEP, RSA-OAEP-256\) is required/);
    assert.match(refused(policy('public-only')).reason, /has no private key to decrypt with/);
    assert.match(refused(policy('ec')).reason, /its key is ec, RSA \(RSA-OAEP, RSA-OAEP-256\) is required/);
    const both = `<validate-jwt header-name="a"><decryption-keys><key certificate-id="decrypter">${secretB64}</key></decryption-keys></validate-jwt>`;
    assert.match(refused(both).reason, /only one of them/);
  });
});
