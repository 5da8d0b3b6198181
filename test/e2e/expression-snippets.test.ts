/**
 * The policy snippets of Azure's public corpus that compile today, run end to end: each
 * document is read from the corpus in test/fixtures at test time, placed at the scope its comments name in
 * a generated APIOps folder, given sensible `{{named values}}` (backend URLs point at loopback
 * echo backends), and served by one real `gatehouse start` process. Each row checks what the
 * snippet's comments promise: the status and body the caller gets and what the backend receives.
 *
 * Placement: correlation id → global (its comment says so, so every forwarded row checks it);
 * request context information, gateway hostname, random load balancer, route by size, HTTP 405
 * → API scope; basic authentication, encryption, jwt-validate errors → operation scope; the
 * oauth-proxy fragments → policy fragments included by operation policies that set the
 * variables the fragments read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { aesCbcDecrypt, corpusDocument, dotnetGuidBytes, dotnetTicks, send, type Answer } from './helpers/expression-snippets-support.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies, recordBackendHits, setHeader, type BackendHit } from './helpers/policy-e2e-support.js';
import { checkBody, internalError } from './helpers/gateway-body.js';
import { csharpOracleMissing, evaluateCsharp } from '../helpers/csharp-oracle.js';

const ALICE_KEY = 'e2e0snippets0alice0key0000000001';
const STANDALONE_KEY = 'e2e0snippets0standalone0key00002';
const PRODUCT_NAME = 'Starter Plan';
const AES_KEY = randomBytes(32);
const AES_IV = randomBytes(16);
const BASIC_USER = 'gatehouse-client';
const BASIC_PASSWORD = 'p@ss:w0rd-42';
const JWT_SECRET = randomBytes(32);
const COOKIE_KEY_1 = randomBytes(32);
const COOKIE_KEY_2 = randomBytes(32);
const COOKIE_PREFIX = '__Host-gatehouse';
const SESSION_SECONDS = 3600;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = 'b1d5a3c2-0000-4000-8000-00000000c11e';
const ADDITIONAL_SCOPES = 'api://orders/Orders.Read';
const CALLBACK = 'https://app.contoso.test/oauth/callback';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let main: EchoBackend;
let alt: EchoBackend;
let mainHits: BackendHit[];
let altHits: BackendHit[];
let gh: GatehouseProcess;
const tokens: Record<string, string> = {};

// ---------------------------------------------------------------- configuration

const ops = (list: Array<[string, string, string]>) => openApi(list.map(([operationId, method, path]) => ({ operationId, method, path })));
const namedValue = (name: string, value: string, secret = false) => ({
  [`named values/${name}/namedValueInformation.json`]: { properties: { displayName: name, value, secret } },
});
const inStarter = (api: string) => ({ [`products/starter/apis/${api}/productApiInformation.json`]: {} });

/** An API in the Starter product: information, specification and (optionally) its policy. */
function api(name: string, path: string, serviceUrl: string, operations: Array<[string, string, string]>, policy?: string): Record<string, string | object> {
  return {
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path, serviceUrl }),
    [`apis/${name}/specification.json`]: ops(operations),
    ...(policy === undefined ? {} : { [`apis/${name}/policy.xml`]: policy }),
    ...inStarter(name),
  };
}

/** A snippet document as the global policy: its backend section forwards. */
function globalDocument(xml: string): string {
  const out = xml.replace(/<backend>\s*<base\s*\/>\s*<\/backend>/, '<backend><forward-request /></backend>');
  assert.notEqual(out, xml, 'the snippet has the usual <backend><base /></backend>');
  return out;
}

function configFolder(): string {
  const snippet = corpusDocument;
  // What the oauth-proxy sign-in flow sets before it includes the redirect fragment.
  const signIn = policies({
    inbound:
      '<base />' +
      `<set-variable name="oauth-proxy-callback" value="${CALLBACK}" />` +
      `<set-variable name="state" value="@(context.Request.Url.Query.GetValueOrDefault(&quot;state&quot;, &quot;&quot;))" />` +
      `<set-variable name="nonce" value="@(context.Request.Url.Query.GetValueOrDefault(&quot;nonce&quot;, &quot;&quot;))" />` +
      `<set-variable name="codeChallengeSha256" value="@{
        var verifier = context.Request.Url.Query.GetValueOrDefault(&quot;verifier&quot;, &quot;&quot;);
        var hash = SHA256.Create().ComputeHash(Encoding.ASCII.GetBytes(verifier));
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
      }" />` +
      `<include-fragment fragment-id="oauth-proxy-construct-authorization-redirect-fragment" />` +
      `<return-response><set-status code="302" reason="Found" />` +
      setHeader('Location', 'override', '@((string)context.Variables["idpRedirect"])') +
      `</return-response>`,
  });
  // A session lookup that found the session sets these; the slide fragment then renews the cookie.
  const session = policies({
    inbound:
      '<base />' +
      `<choose><when condition="@(context.Request.Headers.ContainsKey(&quot;X-Session&quot;))">` +
      `<set-variable name="cacheKey" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Session&quot;, &quot;&quot;))" />` +
      `<set-variable name="ivTokens" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Tokens-Iv&quot;, &quot;&quot;))" />` +
      `<set-variable name="ivCookie" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Cookie-Iv&quot;, &quot;&quot;))" />` +
      `</when></choose>`,
    outbound: '<base /><include-fragment fragment-id="oauth-proxy-slide-session-fragment" />',
  });
  const files: Record<string, string | object> = {
    // At the global scope `<base/>` inherits nothing, so the document's `<backend><base /></backend>`
    // would forward nowhere: as its comment says, the snippet goes into the global inbound
    // section and the global backend keeps Azure's default `<forward-request />`.
    'policy.xml': globalDocument(snippet('Add correlation id to inbound request.policy.xml')),
    'products/starter/productInformation.json': { properties: { displayName: PRODUCT_NAME, subscriptionRequired: true, state: 'published' } },
    'users/alice/userInformation.json': { properties: { email: 'alice@contoso.test', firstName: 'Alice', lastName: 'Doe', state: 'active' } },
    'subscriptions/alice-sub/subscriptionInformation.json': {
      properties: { displayName: 'Alice', scope: '/products/starter', state: 'active', primaryKey: ALICE_KEY, ownerId: '/users/alice' },
    },
    'subscriptions/standalone-sub/subscriptionInformation.json': {
      properties: { displayName: 'Standalone', scope: '/products/starter', state: 'active', primaryKey: STANDALONE_KEY },
    },
    ...api('ctx', 'ctx', `${main.url}/ctx`, [['info', 'GET', '/info']], snippet('Send request context information to the backend service.policy.xml')),
    ...api('fwd', 'fwd', `${main.url}/fwd`, [['page', 'GET', '/page']], snippet('Forward gateway hostname to backend for generating correct urls in responses.policy.xml')),
    ...api('basic', 'basic', `${main.url}/basic`, [['secure', 'GET', '/secure']]),
    'apis/basic/operations/secure/policy.xml': snippet('Perform basic authentication.policy.xml'),
    ...api('lb', 'lb', `${main.url}/unused`, [['pick', 'GET', '/pick']], snippet('Random load balancer.policy.xml')),
    // Shows which branch ran and the request id it was seeded from.
    'apis/lb/operations/pick/policy.xml': policies({
      outbound:
        '<base />' +
        setHeader('X-Url-Id', 'override', '@(context.Variables.GetValueOrDefault&lt;int&gt;("urlId").ToString())') +
        setHeader('X-Request-Id', 'override', '@(context.RequestId.ToString())'),
    }),
    ...api('size', 'size', `${main.url}/size-svc`, [['upload', 'POST', '/upload'], ['upload-get', 'GET', '/upload']], snippet('Route requests based on size.policy.xml')),
    // The encrypted variable is shown to the caller, with its decryption by the gateway.
    ...api('enc', 'enc', `${main.url}/enc`, [['encrypt', 'GET', '/encrypt/{Goober}']], policies({
      outbound:
        '<base />' +
        setHeader('X-Encrypted-Parameter', 'override', '@((string)context.Variables["encryptedParameter"])') +
        setHeader('X-Decrypted-Parameter', 'override',
          '@(Encoding.UTF8.GetString(Convert.FromBase64String((string)context.Variables["encryptedParameter"]).Decrypt("Aes", Convert.FromBase64String((string)context.Variables["key"]), Convert.FromBase64String((string)context.Variables["IV"]))))'),
    })),
    'apis/enc/operations/encrypt/policy.xml': snippet('Encrypt data using expressions.policy.xml'),
    ...api('jwt', 'jwt', `${main.url}/jwt`, [['orders', 'GET', '/orders']]),
    'apis/jwt/operations/orders/policy.xml': snippet('Use custom error messages for jwt-validate policy with on-error handler.policy.xml'),
    // The snippet's own example: the Echo API (path `echo`) with a POST /resource-cached operation.
    ...api('echo', 'echo', `${main.url}/api`, [['resource-cached', 'POST', '/resource-cached'], ['other', 'GET', '/other']],
      snippet('Return HTTP 405 if the HTTP Method of the request is not defined.xml')),
    ...api('oauth', 'oauth', `${main.url}/oauth`, [['sign-in', 'GET', '/sign-in'], ['session', 'GET', '/session']]),
    'apis/oauth/operations/sign-in/policy.xml': signIn,
    'apis/oauth/operations/session/policy.xml': session,
    'policy fragments/oauth-proxy-construct-authorization-redirect-fragment/policy.xml': snippet('oauth-proxy/oauth-proxy-construct-authorization-redirect-fragment.xml'),
    'policy fragments/oauth-proxy-slide-session-fragment/policy.xml': snippet('oauth-proxy/oauth-proxy-slide-session-fragment.xml'),
    ...namedValue('AES-IV', AES_IV.toString('base64')),
    ...namedValue('AES-Key', AES_KEY.toString('base64'), true),
    ...namedValue('UserId', BASIC_USER),
    ...namedValue('Password', BASIC_PASSWORD, true),
    ...namedValue('backend-url-1', `${main.url}/lb1`),
    ...namedValue('backend-url-2', `${alt.url}/lb2`),
    ...namedValue('alternate-host', alt.url),
    ...namedValue('alternate-path-and-query', '/large-messages/upload?routed=by-size'),
    ...namedValue('base64-encoded-hashing-secret', JWT_SECRET.toString('base64'), true),
    ...namedValue('TenantId', TENANT),
    ...namedValue('ClientId', CLIENT_ID),
    ...namedValue('AdditionalScopes', ADDITIONAL_SCOPES),
    ...namedValue('SessionCookieExpirationInSeconds', String(SESSION_SECONDS)),
    ...namedValue('CookieEncryptionKey1', COOKIE_KEY_1.toString('base64'), true),
    ...namedValue('CookieEncryptionKey2', COOKIE_KEY_2.toString('base64'), true),
    ...namedValue('CookieEncryptionKey', '2'),
    ...namedValue('CookiePrefix', COOKIE_PREFIX),
  };
  return writeApiopsFolder(files);
}

// ---------------------------------------------------------------- the table

/** Expected header values; a function when the value is made in before(). */
type HeaderExpectation = Record<string, string | RegExp | null | (() => string)>;

interface BackendExpectation {
  /** Which loopback backend gets the request (default main). */
  at?: 'main' | 'alt';
  method?: string;
  path?: string;
  query?: Record<string, string[]>;
  headers?: HeaderExpectation;
  /** Bytes of body the backend received (from the echo's answer). */
  bodySize?: number;
}

interface Observed {
  answer: Answer;
  /** The backend request this call caused, and where it went. */
  hit?: { at: 'main' | 'alt'; hit: BackendHit };
  sentAt: number;
  receivedAt: number;
}

interface Row {
  name: string;
  /** A known product gap: the row runs and reports without failing the suite. */
  request: {
    method?: string;
    path: string | (() => string);
    /** Subscription key: Alice's (default), the standalone subscription's, or none. */
    key?: 'alice' | 'standalone' | 'none';
    headers?: Record<string, string | (() => string)>;
    body?: string | Buffer;
    chunked?: boolean;
  };
  /** Send the request this many times; every answer must match the row (default 1). */
  repeat?: number;
  status: number;
  statusText?: string;
  /** An object: the JSON body, compared exactly (activityId: ANY_ID); a string: the text. */
  body?: unknown;
  headers?: HeaderExpectation;
  /** 'any' for rows whose backend is checked by `check`. */
  backend: 'not-called' | 'any' | BackendExpectation;
  check?: (observed: Observed[], t: { diagnostic(message: string): void }) => void;
}

const jwtMessage = 'Unauthorized. Access token is missing or invalid.';
const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const bearer = (name: string) => () => `Bearer ${tokens[name]}`;

/** The correlation id is a version-4 GUID whose last six bytes are DateTime.Now.Ticks (COMB). */
function combGuid({ hit, sentAt, receivedAt }: Observed): void {
  const id = String(hit?.hit.headers.correlationid ?? '');
  assert.match(id, GUID);
  assert.equal(id[14], '4', 'the first ten bytes come from Guid.NewGuid() (version 4)');
  assert.match(id[19]!, /[89ab]/, 'Guid.NewGuid() variant bits');
  const bytes = dotnetGuidBytes(id);
  const low48 = bytes.readUIntLE(10, 6);
  const mask = (1n << 48n) - 1n;
  // The gateway's clock read lies between sending and receiving (ms resolution either side).
  const low = dotnetTicks(sentAt - 1) & mask;
  const span = dotnetTicks(receivedAt + 1) - dotnetTicks(sentAt - 1);
  const offset = (BigInt(low48) - low + (1n << 48n)) & mask;
  assert.ok(offset <= span, `COMB time bytes ${low48} are not DateTime.Now.Ticks of the request`);
}

/** Decrypts what the encryption snippet produced and compares it with the path parameter. */
function encrypted(plain: string) {
  return ([{ answer }]: Observed[]) => {
    const b64 = String(answer.headers['x-encrypted-parameter'] ?? '');
    assert.match(b64, /^[A-Za-z0-9+/]+=*$/);
    const cipher = Buffer.from(b64, 'base64');
    assert.equal(cipher.length % 16, 0, 'AES-CBC output is whole blocks');
    assert.equal(aesCbcDecrypt(cipher, AES_KEY, AES_IV).toString('utf8'), plain);
  };
}

/** The renewed session cookie: AES with key 2 and the Guid IV, expiry one session from now. */
function slidCookie(cacheKey: string, ivTokens: string, ivCookie: string) {
  return ([{ answer, sentAt, receivedAt }]: Observed[]) => {
    const cookies = answer.headers['set-cookie'] ?? [];
    assert.equal(cookies.length, 1, `one Set-Cookie: ${JSON.stringify(cookies)}`);
    const m = new RegExp(`^${COOKIE_PREFIX}=([A-Za-z0-9+/=]+)\\.(${ivCookie})\\.2; SameSite=Lax; secure; path=/; expires=([^;]+); Secure; HttpOnly$`).exec(cookies[0]!);
    assert.ok(m, `unexpected cookie: ${cookies[0]}`);
    const plain = aesCbcDecrypt(Buffer.from(m[1]!, 'base64'), COOKIE_KEY_2, dotnetGuidBytes(ivCookie)).toString('utf8');
    const parts = /^(.*)\.(.*)\.(\d+)$/.exec(plain);
    assert.ok(parts, `decrypted cookie ${plain}`);
    assert.equal(parts[1], cacheKey);
    assert.equal(parts[2], ivTokens);
    const expiry = Number(parts[3]);
    assert.ok(expiry >= sentAt + SESSION_SECONDS * 1000 - 1 && expiry <= receivedAt + SESSION_SECONDS * 1000 + 1, `expiry ${expiry} is not one session after the request`);
    assert.equal(m[3], new Date(expiry).toUTCString(), 'expires= is the expiry in RFC 1123 ("R") form');
  };
}

/**
 * Where the random load balancer sent each request agrees with `urlId`, and `urlId` is what C#
 * computes for the request id: `new Random(Guid.Parse(id).GetHashCode()).Next(1, 3)` evaluated
 * by Mono (a real C# runtime), not by Gatehouse's interpreter. Without Mono only the agreement is
 * checked (the `csharpOracleMissing` reason is printed); under CI=true Mono is required.
 */
function balanced(observed: Observed[], t: { diagnostic(message: string): void }): void {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const { answer, hit } of observed) {
    const urlId = String(answer.headers['x-url-id']);
    assert.ok(hit, 'each request reaches a backend');
    assert.deepEqual([hit.at, hit.hit.path], urlId === '1' ? ['main', '/lb1/pick'] : ['alt', '/lb2/pick'], `urlId ${urlId}`);
    const requestId = String(answer.headers['x-request-id']);
    assert.match(requestId, GUID);
    ids.push(requestId);
    seen.add(urlId);
  }
  assert.deepEqual([...seen].sort(), ['1', '2'], 'both backends are used');
  if (csharpOracleMissing) {
    t.diagnostic(`urlId not checked against C#: ${csharpOracleMissing}`);
    return;
  }
  const expected = evaluateCsharp(ids.map((id) => `new Random(Guid.Parse("${id}").GetHashCode()).Next(1, 3)`));
  assert.deepEqual(
    observed.map(({ answer }) => String(answer.headers['x-url-id'])),
    expected,
    'urlId is new Random(Guid.Parse(id).GetHashCode()).Next(1, 3) as C# computes it',
  );
}

const rows: Row[] = [
  // ---- Add correlation id (global): every forwarded row also checks the header
  { name: 'correlation id: a COMB GUID reaches the backend', request: { path: '/fwd/page' }, status: 200, backend: { path: '/fwd/page' }, check: ([o]) => combGuid(o!) },
  { name: 'correlation id: exists-action="skip" keeps the one the caller sent', request: { path: '/fwd/page', headers: { correlationid: 'caller-chosen-id' } }, status: 200, backend: { headers: { correlationid: 'caller-chosen-id' } } },

  // ---- Send request context information (API scope)
  {
    name: 'context information: product name in the query, user id and region in x-request-context-data',
    request: { path: '/ctx/info?a=1' },
    status: 200,
    // Region is empty in Gatehouse (docs/expressions.md): the two values join as "alice,".
    backend: { path: '/ctx/info', query: { a: ['1'], 'x-product-name': [PRODUCT_NAME] }, headers: { 'x-request-context-data': 'alice,' } },
  },
  {
    name: 'context information: a caller-sent x-product-name is overridden',
    request: { path: '/ctx/info?x-product-name=forged' },
    status: 200,
    backend: { query: { 'x-product-name': [PRODUCT_NAME] } },
  },
  {
    name: 'context information: a subscription without an owner has no context.User → 500',
    request: { path: '/ctx/info', key: 'standalone' },
    status: 500,
    body: internalError,
    backend: 'not-called',
  },

  // ---- Forward gateway hostname (API scope)
  { name: 'forwarded: proto and host of the URL the caller used', request: { path: '/fwd/page', headers: { host: 'api.contoso.test:8443' } }, status: 200, backend: { headers: { forwarded: 'proto=http;host=api.contoso.test;' } } },
  { name: 'forwarded: a caller-sent Forwarded header is overridden', request: { path: '/fwd/page', headers: { forwarded: 'for=evil', host: 'gw.contoso.test' } }, status: 200, backend: { headers: { forwarded: 'proto=http;host=gw.contoso.test;' } } },

  // ---- Perform basic authentication (operation scope)
  { name: 'basic: no Authorization → check-header 401 Not authorized', request: { path: '/basic/secure' }, status: 401, body: { statusCode: 401, message: 'Not authorized' }, backend: 'not-called' },
  { name: 'basic: a Bearer token is not Basic → 401', request: { path: '/basic/secure', headers: { Authorization: 'Bearer abc.def.ghi' } }, status: 401, statusText: 'Not authorized', body: '', backend: 'not-called' },
  { name: 'basic: undecodable credentials → 401', request: { path: '/basic/secure', headers: { Authorization: 'Basic %%%' } }, status: 401, statusText: 'Not authorized', body: '', backend: 'not-called' },
  { name: 'basic: wrong password → 401', request: { path: '/basic/secure', headers: { Authorization: basicHeader(BASIC_USER, 'guess') } }, status: 401, statusText: 'Not authorized', body: '', backend: 'not-called' },
  { name: 'basic: wrong user → 401', request: { path: '/basic/secure', headers: { Authorization: basicHeader('mallory', BASIC_PASSWORD) } }, status: 401, statusText: 'Not authorized', body: '', backend: 'not-called' },
  {
    name: 'basic: right user and password (with a colon) pass; Authorization is removed before the backend',
    request: { path: '/basic/secure', headers: { Authorization: basicHeader(BASIC_USER, BASIC_PASSWORD) } },
    status: 200,
    backend: { path: '/basic/secure', headers: { authorization: null } },
  },

  // ---- Random load balancer (API scope)
  { name: 'random load balancer: each request goes to the backend its urlId names; both are used', request: { path: '/lb/pick' }, repeat: 24, status: 200, backend: 'any', check: balanced },

  // ---- Route requests based on size (API scope)
  { name: 'size: a small body goes to the API backend', request: { method: 'POST', path: '/size/upload', body: 'x'.repeat(1000) }, status: 200, backend: { at: 'main', path: '/size-svc/upload', bodySize: 1000 } },
  { name: 'size: 255999 bytes is still below the limit', request: { method: 'POST', path: '/size/upload', body: Buffer.alloc(255_999, 97) }, status: 200, backend: { at: 'main', path: '/size-svc/upload', bodySize: 255_999 } },
  {
    name: 'size: 256000 bytes goes to the alternate host and path',
    request: { method: 'POST', path: '/size/upload', body: Buffer.alloc(256_000, 98) },
    status: 200,
    backend: { at: 'alt', method: 'POST', path: '/large-messages/upload', query: { routed: ['by-size'] }, bodySize: 256_000 },
  },
  {
    name: 'size: a large body keeps the caller query next to the template query',
    request: { method: 'POST', path: '/size/upload?batch=7', body: Buffer.alloc(300_000, 99) },
    status: 200,
    backend: { at: 'alt', path: '/large-messages/upload', query: { routed: ['by-size'], batch: ['7'] }, bodySize: 300_000 },
  },
  { name: 'size: no Content-Length (GET) → Headers["Content-Length"] fails → 500', request: { path: '/size/upload' }, status: 500, body: internalError, backend: 'not-called' },
  { name: 'size: a chunked body has no Content-Length → 500', request: { method: 'POST', path: '/size/upload', body: 'y'.repeat(2000), chunked: true }, status: 500, body: internalError, backend: 'not-called' },

  // ---- Encrypt data using expressions (operation scope; the API outbound shows the variables)
  {
    name: 'encrypt: the Goober path parameter, AES-encrypted with the named-value key and IV, decrypts back',
    request: { path: '/enc/encrypt/Goober-42' },
    status: 200,
    headers: { 'x-decrypted-parameter': 'Goober-42' },
    backend: { path: '/enc/encrypt/Goober-42' },
    check: encrypted('Goober-42'),
  },
  { name: 'encrypt: a one-block value round-trips too', request: { path: '/enc/encrypt/exactly-16-bytes' }, status: 200, headers: { 'x-decrypted-parameter': 'exactly-16-bytes' }, backend: { path: '/enc/encrypt/exactly-16-bytes' }, check: encrypted('exactly-16-bytes') },

  // ---- Custom error messages for validate-jwt (operation scope)
  { name: 'jwt: no token → 401 with the on-error message', request: { path: '/jwt/orders' }, status: 401, body: jwtMessage, backend: 'not-called' },
  { name: 'jwt: token signed with another key → 401 with the on-error message', request: { path: '/jwt/orders', headers: { Authorization: bearer('otherKey') } }, status: 401, body: jwtMessage, backend: 'not-called' },
  { name: 'jwt: expired token → 401 with the on-error message', request: { path: '/jwt/orders', headers: { Authorization: bearer('expired') } }, status: 401, body: jwtMessage, backend: 'not-called' },
  { name: 'jwt: not a JWT → 401 with the on-error message', request: { path: '/jwt/orders', headers: { Authorization: 'Bearer not-a-token' } }, status: 401, body: jwtMessage, backend: 'not-called' },
  { name: 'jwt: a valid token reaches the backend', request: { path: '/jwt/orders', headers: { Authorization: bearer('valid') } }, status: 200, backend: { path: '/jwt/orders', headers: { authorization: () => `Bearer ${tokens.valid}` } } },

  // ---- Return HTTP 405 (API scope, the snippet's own /echo/resource-cached)
  {
    name: '405: GET on the POST-only /echo/resource-cached → 405 with the JSON body',
    request: { path: '/echo/resource-cached' },
    status: 405,
    statusText: 'Method not allowed',
    body: { status: 'HTTP 405', message: 'Method not allowed' },
    backend: 'not-called',
  },
  { name: '405: POST on /echo/resource-cached reaches the backend', request: { method: 'POST', path: '/echo/resource-cached', body: '{}' }, status: 200, backend: { method: 'POST', path: '/api/resource-cached' } },
  { name: '405: another unmatched path keeps the 404', request: { path: '/echo/nothing-here' }, status: 404, body: { statusCode: 404, message: 'Resource not found' }, backend: 'not-called' },

  // ---- oauth-proxy fragments
  {
    name: 'oauth-proxy construct-authorization-redirect: the AAD authorize URL from named values and variables',
    request: { path: '/oauth/sign-in?state=st-1&nonce=n-2&verifier=v3rifier-0123456789-abcdefghijklmnopqrstuvwxyz' },
    status: 302,
    headers: {
      location:
        `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize?client_id=${CLIENT_ID}&response_type=code&` +
        `redirect_uri=${CALLBACK}&response_mode=form_post&scope=${encodeURIComponent(`openid profile offline_access ${ADDITIONAL_SCOPES}`)}&` +
        `state=st-1&nonce=n-2&code_challenge=${createHash('sha256').update('v3rifier-0123456789-abcdefghijklmnopqrstuvwxyz').digest('base64url')}&code_challenge_method=S256`,
    },
    backend: 'not-called',
  },
  {
    name: 'oauth-proxy slide-session: a session renews its cookie (AES, key 2, Guid IV)',
    request: { path: '/oauth/session', headers: { 'X-Session': 'session-cache-key-1', 'X-Tokens-Iv': 'tokens-iv-9', 'X-Cookie-Iv': '0f8fad5b-d9cb-469f-a165-70867728950e' } },
    status: 200,
    backend: { path: '/oauth/session' },
    check: slidCookie('session-cache-key-1', 'tokens-iv-9', '0f8fad5b-d9cb-469f-a165-70867728950e'),
  },
  { name: 'oauth-proxy slide-session: without a session no cookie is set', request: { path: '/oauth/session' }, status: 200, headers: { 'set-cookie': null }, backend: { path: '/oauth/session' } },
];

// ---------------------------------------------------------------- running the table

before(async () => {
  main = await startEchoBackend();
  alt = await startEchoBackend();
  mainHits = recordBackendHits(main);
  altHits = recordBackendHits(alt);
  const now = Math.floor(Date.now() / 1000);
  const sign = (secret: Uint8Array, exp: number) => new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now).setExpirationTime(exp).sign(secret);
  tokens.valid = await sign(JWT_SECRET, now + 3600);
  tokens.otherKey = await sign(randomBytes(32), now + 3600);
  tokens.expired = await sign(JWT_SECRET, now - 3600);
  gh = await startGatehouseProcess(['--config', configFolder()]);
});

after(async () => {
  await gh?.stop();
  await main?.close();
  await alt?.close();
});

function checkHeaders(actual: (name: string) => string | null, expected: HeaderExpectation, where: string): void {
  for (const [name, raw] of Object.entries(expected)) {
    const want = typeof raw === 'function' ? raw() : raw;
    const got = actual(name);
    if (want === null) assert.equal(got, null, `${where} header ${name} should be absent`);
    else if (want instanceof RegExp) assert.match(got ?? '', want, `${where} header ${name}`);
    else assert.equal(got, want, `${where} header ${name}`);
  }
}

function headerText(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}


async function runOnce(row: Row): Promise<Observed> {
  const headers: Record<string, string> = {};
  const key = row.request.key ?? 'alice';
  if (key !== 'none') headers['Ocp-Apim-Subscription-Key'] = key === 'alice' ? ALICE_KEY : STANDALONE_KEY;
  for (const [name, value] of Object.entries(row.request.headers ?? {})) headers[name] = typeof value === 'function' ? value() : value;
  const path = typeof row.request.path === 'function' ? row.request.path() : row.request.path;
  const before = { main: mainHits.length, alt: altHits.length };
  const sentAt = Date.now();
  const answer = await send({ method: row.request.method ?? 'GET', url: `${gh.gatewayUrl}${path}`, headers, body: row.request.body, chunked: row.request.chunked });
  const receivedAt = Date.now();
  const where = `${row.request.method ?? 'GET'} ${path}`;
  const newMain = mainHits.slice(before.main);
  const newAlt = altHits.slice(before.alt);

  assert.equal(answer.status, row.status, `${where}: status ${answer.status}, body ${answer.text.slice(0, 300)}`);
  if (row.statusText !== undefined) assert.equal(answer.statusText, row.statusText);
  if (row.body !== undefined) checkBody(answer.text, row.body);
  checkHeaders((n) => headerText(answer.headers[n.toLowerCase()]), row.headers ?? {}, 'response');

  const calls = newMain.length + newAlt.length;
  if (row.backend === 'not-called') {
    assert.equal(calls, 0, `${where}: the backend was called: ${[...newMain, ...newAlt].map((h) => h.url).join(', ')}`);
    return { answer, sentAt, receivedAt };
  }
  assert.equal(calls, 1, `${where}: backend calls`);
  const hit = newMain.length === 1 ? { at: 'main' as const, hit: newMain[0]! } : { at: 'alt' as const, hit: newAlt[0]! };
  const observed: Observed = { answer, hit, sentAt, receivedAt };
  // The global correlation id snippet: a GUID unless the caller sent one.
  if (!('correlationid' in (row.request.headers ?? {}))) assert.match(String(hit.hit.headers.correlationid ?? ''), GUID, 'correlationid');
  if (row.backend === 'any') return observed;
  const expected = row.backend;
  assert.equal(hit.at, expected.at ?? 'main', `${where}: which backend`);
  if (expected.method !== undefined) assert.equal(hit.hit.method, expected.method);
  if (expected.path !== undefined) assert.equal(hit.hit.path, expected.path);
  if (expected.query !== undefined) assert.deepEqual(hit.hit.query, expected.query);
  checkHeaders((n) => headerText(hit.hit.headers[n.toLowerCase()]), expected.headers ?? {}, 'backend');
  if (expected.bodySize !== undefined) assert.equal((JSON.parse(answer.text) as { bodySize: number }).bodySize, expected.bodySize);
  return observed;
}

describe('policy snippets with expressions, end to end', () => {
  for (const row of rows) {
    it(row.name, async (t) => {
      const observed: Observed[] = [];
      for (let i = 0; i < (row.repeat ?? 1); i++) observed.push(await runOnce(row));
      row.check?.(observed, t);
    });
  }

  it('the correlation ids of different requests differ', () => {
    const ids = mainHits.map((h) => String(h.headers.correlationid)).filter((id) => GUID.test(id));
    assert.ok(ids.length > 10);
    assert.equal(new Set(ids).size, ids.length);
  });
});

