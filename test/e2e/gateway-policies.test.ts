/**
 * Every policy of the gateway core, through a real `gatehouse start --config` process, a real
 * echo backend and (for validate-jwt's openid-config) a real loopback discovery server. One
 * table: request → status, Azure's exact error body, headers, and what the backend received.
 * Rows run in order and each rate-limit/quota row uses its own operation or counter key, so
 * the rows that fill a counter are the only ones that see it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload, type KeyLike } from 'jose';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies, recordBackendHits, setHeader, startOpenIdServer, type BackendHit, type OpenIdServer, unusedLoopbackUrl } from './helpers/policy-e2e-support.js';
import { ANY_ID, checkBody, internalError } from './helpers/gateway-body.js';

const SUBSCRIPTION_KEY = 'e2e0policies0gold0key00000000001';
const HS_SECRET = randomBytes(32);
const ISSUER = 'https://issuer.test/';
const OIDC_ISSUER = 'https://oidc.test/';
const FRAGMENT_VALUE = 'staging';

let backend: EchoBackend;
let hits: BackendHit[];
let oidc: OpenIdServer;
let closedPortUrl = '';
let gh: GatehouseProcess;
/** Tokens made in before(), read by the rows when they run. */
const tokens: Record<string, string> = {};

// ---------------------------------------------------------------- configuration

const opPolicies: Record<string, string> = {
  'check-header': policies({
    inbound: `<base /><check-header name="X-Api-Token" failed-check-httpcode="{{denied-code}}" failed-check-error-message="{{denied-message}}" ignore-case="true"><value>Secret-One</value><value>Secret-Two</value></check-header>`,
  }),
  'check-presence': policies({
    inbound: `<base /><check-header name="X-Present" failed-check-httpcode="412" failed-check-error-message="X-Present is required" ignore-case="false" />`,
  }),
  'ip-allow': policies({
    inbound: `<base /><ip-filter action="allow"><address>127.0.0.1</address><address-range from="::1" to="::1" /></ip-filter>`,
  }),
  'ip-allow-other': policies({
    inbound: `<base /><ip-filter action="allow"><address>10.1.2.3</address><address-range from="2001:db8::" to="2001:db8::ffff" /></ip-filter>`,
  }),
  'ip-forbid': policies({
    inbound: `<base /><ip-filter action="forbid"><address-range from="127.0.0.0" to="127.255.255.255" /><address>0:0:0:0:0:0:0:1</address></ip-filter>`,
  }),
  'rate-limit': policies({
    inbound: `<base /><rate-limit calls="2" renewal-period="60" remaining-calls-header-name="X-Remaining" total-calls-header-name="X-Total" />`,
  }),
  'rate-limit-custom': policies({
    inbound: `<base /><rate-limit calls="1" renewal-period="60" retry-after-header-name="X-Retry-In" />`,
  }),
  rlk: policies({
    inbound: `<base /><rate-limit-by-key calls="1" renewal-period="60" counter-key="rlk-a" remaining-calls-header-name="X-Remaining" total-calls-header-name="X-Total" />`,
  }),
  'rlk-shared': policies({
    inbound: `<base /><rate-limit-by-key calls="5" renewal-period="60" counter-key="rlk-a" remaining-calls-header-name="X-Remaining" />`,
  }),
  'rlk-nocount': policies({
    inbound: `<base /><rate-limit-by-key calls="1" renewal-period="60" counter-key="rlk-b" increment-condition="false" remaining-calls-header-name="X-Remaining" />`,
  }),
  'rlk-count2': policies({
    inbound: `<base /><rate-limit-by-key calls="3" renewal-period="60" counter-key="rlk-c" increment-count="2" remaining-calls-header-name="X-Remaining" />`,
  }),
  qbk: policies({
    inbound: `<base /><quota-by-key calls="1" renewal-period="300" counter-key="qbk-a" first-period-start="2024-01-01T00:00:10Z" />`,
  }),
  'qbk-life': policies({
    inbound: `<base /><quota-by-key calls="1" renewal-period="0" counter-key="qbk-life" />`,
  }),
  'set-header': policies({
    inbound:
      '<base />' +
      setHeader('X-Multi', 'override', 'v1', 'v2') +
      setHeader('X-Override', 'override', 'policy') +
      setHeader('X-Skip', 'skip', 'policy') +
      setHeader('X-New-Skip', 'skip', 'created') +
      setHeader('X-Append', 'append', 'policy') +
      setHeader('X-Delete', 'delete'),
    outbound: '<base />' + setHeader('X-Out', 'override', 'out-{{env-name}}'),
  }),
  'qbk-nocount': policies({
    inbound: `<base /><quota-by-key calls="1" renewal-period="300" counter-key="qbk-nocount" increment-condition="false" />`,
  }),
  'set-query': policies({
    inbound:
      '<base />' +
      `<set-query-parameter name="o" exists-action="override"><value>new</value></set-query-parameter>` +
      `<set-query-parameter name="s" exists-action="skip"><value>ignored</value></set-query-parameter>` +
      `<set-query-parameter name="a" exists-action="append"><value>2</value></set-query-parameter>` +
      `<set-query-parameter name="d" exists-action="delete" />` +
      `<set-query-parameter name="added" exists-action="override"><value>a b&amp;c</value></set-query-parameter>`,
  }),
  rewrite: policies({ inbound: `<base /><rewrite-uri template="/v2/items/{id}?fixed=1" />` }),
  'rewrite-strict': policies({ inbound: `<base /><rewrite-uri template="/v2/items/{id}?fixed=1" copy-unmatched-params="false" />` }),
  'sbs-id': policies({ inbound: `<base /><set-backend-service backend-id="echo-alt" />` }),
  'set-method': policies({ inbound: `<base /><set-method>PUT</set-method>` }),
  'set-status': policies({ outbound: `<base /><set-status code="202" reason="Accepted Later" />` }),
  'return-response': policies({
    inbound:
      `<base /><return-response><set-status code="418" reason="Short And Stout" />` +
      setHeader('Content-Type', 'override', 'application/json') +
      setHeader('X-Returned', 'override', '{{env-name}}') +
      `<set-body>{"answer": 42}</set-body></return-response>` +
      setHeader('X-After-Return', 'override', 'never'),
  }),
  'return-bare': policies({ inbound: `<base /><return-response><set-body>plain text</set-body></return-response>` }),
  mock: policies({ inbound: `<base /><mock-response status-code="200" content-type="application/json" />` }),
  'mock-text': policies({ inbound: `<base /><mock-response status-code="200" content-type="text/plain" />` }),
  'mock-schema': policies({ inbound: `<base /><mock-response status-code="201" />` }),
  'fr-timeout': policies({ backend: `<forward-request timeout="1" />` }),
  'fr-follow': policies({ backend: `<forward-request follow-redirects="true" />` }),
  'fr-nofollow': policies({ backend: `<forward-request follow-redirects="false" />` }),
  'fr-buffer': policies({ backend: `<forward-request buffer-request-body="true" />` }),
  'fr-fail': policies({ backend: `<forward-request fail-on-error-status-code="true" />` }),
  choose: policies({
    inbound:
      '<base />' +
      `<choose><when condition="false">${setHeader('X-Branch', 'override', 'first')}</when>` +
      `<when condition="{{feature-on}}">${setHeader('X-Branch', 'override', 'second')}</when>` +
      `<otherwise>${setHeader('X-Branch', 'override', 'otherwise')}</otherwise></choose>` +
      `<choose><when condition="FALSE">${setHeader('X-Branch2', 'override', 'when')}</when>` +
      `<otherwise>${setHeader('X-Branch2', 'override', 'otherwise')}</otherwise></choose>`,
  }),
  'set-variable': policies({
    inbound: `<base /><set-variable name="tier" value="{{env-name}}" /><set-variable name="answer" value="42" /><set-variable name="tier" value="gold" />`,
  }),
  jwt: '', // filled in before(): the key is made at run time
  'jwt-custom': '',
  'jwt-oidc': '',
  basic: policies({ inbound: `<base /><authentication-basic username="svc-user" password="{{basic-password}}" />` }),
  fragment: policies({ inbound: `<base /><include-fragment fragment-id="trace-fragment" />` }),
  scopes: policies({ inbound: '<base />' + setHeader('X-Trace', 'append', 'op') }),
  'scopes-nobase': policies({ inbound: setHeader('X-Trace', 'append', 'only-op') }),
  'onerror-answer': policies({
    inbound: `<base /><check-header name="X-Required" failed-check-httpcode="400" failed-check-error-message="X-Required missing" ignore-case="false" />`,
    onError:
      `<base /><return-response><set-status code="503" reason="Service Unavailable" />` +
      setHeader('Content-Type', 'override', 'application/json') +
      `<set-body>{"error":"handled in on-error"}</set-body></return-response>`,
  }),
  'onerror-fails': policies({
    inbound: `<base /><check-header name="X-Required" failed-check-httpcode="400" failed-check-error-message="X-Required missing" ignore-case="false" />`,
    onError: `<base /><return-response response-variable-name="no-such-response" />` + setHeader('X-After-Failure', 'override', 'never'),
  }),
  'onerror-status': policies({
    inbound: `<base /><check-header name="X-Required" failed-check-httpcode="400" failed-check-error-message="X-Required missing" ignore-case="false" />`,
    onError: `<base /><set-status code="503" reason="Unavailable" />`,
  }),
};

/** Operations of the `pol` API: [operationId, method, path, extra OpenAPI operation fields]. */
const mockResponses = {
  responses: {
    '200': {
      description: 'OK',
      content: {
        'application/json': { examples: { first: { value: { id: 7, name: 'widget' } }, second: { value: { id: 8, name: 'gadget' } } } },
        'text/plain': { example: 'seven widgets' },
      },
    },
    '201': {
      description: 'Created',
      content: {
        'application/json': {
          schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
  },
};
const polOperations: Array<[string, string, string, object?]> = [
  ['check-header', 'GET', '/check-header'],
  ['check-presence', 'GET', '/check-presence'],
  ['ip-allow', 'GET', '/ip/allow'],
  ['ip-allow-other', 'GET', '/ip/allow-other'],
  ['ip-forbid', 'GET', '/ip/forbid'],
  ['rate-limit', 'GET', '/rate-limit'],
  ['rate-limit-custom', 'GET', '/rate-limit-custom'],
  ['rate-limit-child', 'GET', '/rate-limit-child'],
  ['rlk', 'GET', '/rlk'],
  ['rlk-shared', 'GET', '/rlk-shared'],
  ['rlk-nocount', 'GET', '/rlk-nocount'],
  ['rlk-count2', 'GET', '/rlk-count2'],
  ['quota-hour', 'GET', '/quota-hour'],
  ['quota-life', 'GET', '/quota-life'],
  ['quota-bw', 'POST', '/quota-bw'],
  ['qbk', 'GET', '/qbk'],
  ['qbk-life', 'GET', '/qbk-life'],
  ['qbk-nocount', 'GET', '/qbk-nocount'],
  ['set-header', 'GET', '/set-header'],
  ['set-query', 'GET', '/set-query'],
  ['rewrite', 'GET', '/rewrite/{id}'],
  ['rewrite-strict', 'GET', '/rewrite-strict/{id}'],
  ['sbs-url', 'GET', '/sbs-url'],
  ['sbs-id', 'GET', '/sbs-id'],
  ['set-method', 'POST', '/set-method'],
  ['set-status', 'GET', '/set-status'],
  ['return-response', 'GET', '/return-response'],
  ['return-bare', 'GET', '/return-bare'],
  ['mock', 'GET', '/mock', mockResponses],
  ['mock-text', 'GET', '/mock-text', mockResponses],
  ['mock-schema', 'GET', '/mock-schema', mockResponses],
  ['fr-timeout', 'GET', '/fr-timeout/delay/{ms}'],
  ['fr-follow', 'GET', '/fr-follow/redirect/{n}'],
  ['fr-nofollow', 'GET', '/fr-nofollow/redirect/{n}'],
  ['fr-refused', 'GET', '/fr-refused'],
  ['fr-buffer', 'POST', '/fr-buffer'],
  ['fr-stream', 'POST', '/fr-stream'],
  ['fr-fail', 'GET', '/fr-fail/status/{code}'],
  ['fr-pass', 'GET', '/fr-pass/status/{code}'],
  ['choose', 'GET', '/choose'],
  ['set-variable', 'GET', '/set-variable'],
  ['jwt', 'GET', '/jwt'],
  ['jwt-custom', 'GET', '/jwt-custom'],
  ['jwt-oidc', 'GET', '/jwt-oidc'],
  ['basic', 'GET', '/basic'],
  ['fragment', 'GET', '/fragment'],
  ['scopes', 'GET', '/scopes'],
  ['scopes-nobase', 'GET', '/scopes-nobase'],
  ['onerror-answer', 'GET', '/onerror-answer'],
  ['onerror-status', 'GET', '/onerror-status'],
  ['onerror-fails', 'GET', '/onerror-fails'],
];

const corsPolicy = (origin: string, terminate: boolean, credentials: boolean, headers: string[], expose: string[]) =>
  `<cors allow-credentials="${credentials}" terminate-unmatched-request="${terminate}">` +
  `<allowed-origins><origin>${origin}</origin></allowed-origins>` +
  `<allowed-methods preflight-result-max-age="300"><method>GET</method><method>POST</method></allowed-methods>` +
  `<allowed-headers>${headers.map((h) => `<header>${h}</header>`).join('')}</allowed-headers>` +
  (expose.length ? `<expose-headers>${expose.map((h) => `<header>${h}</header>`).join('')}</expose-headers>` : '') +
  `</cors>`;

function configFolder(): string {
  const ops = (list: Array<[string, string, string, object?]>) => openApi(list.map(([operationId, method, path, extra]) => ({ operationId, method, path, extra })));
  const files: Record<string, string | object> = {
    'policy.xml': policies({
      inbound: setHeader('X-Trace', 'append', 'global'),
      backend: '<forward-request />',
      outbound: setHeader('X-Global-Out', 'override', 'yes'),
      onError: setHeader('X-On-Error', 'append', 'global'),
    }),
    // --- the main API, in the gold product
    'apis/pol/apiInformation.json': apiInformation({ displayName: 'Policies', path: 'pol', serviceUrl: `${backend.url}/svc` }),
    'apis/pol/specification.json': ops(polOperations),
    'apis/pol/policy.xml': policies({
      inbound:
        setHeader('X-Trace', 'append', 'api-1') +
        '<base />' +
        setHeader('X-Trace', 'append', 'api-2') +
        // A wide API limit with a tight limit for one operation: the <api>/<operation> children.
        `<rate-limit calls="1000" renewal-period="300"><api id="pol" calls="1000"><operation id="rate-limit-child" calls="1" renewal-period="60" /></api></rate-limit>`,
      onError: '<base />' + setHeader('X-On-Error', 'append', 'api'),
    }),
    // --- a CORS API, in the gold product
    'apis/corsapi/apiInformation.json': apiInformation({ displayName: 'CORS', path: 'cors-api', serviceUrl: `${backend.url}/cors` }),
    'apis/corsapi/specification.json': ops([
      ['items-get', 'GET', '/items'],
      ['items-post', 'POST', '/items'],
      ['lenient', 'GET', '/lenient'],
      ['chained', 'GET', '/chained'],
      ['guarded', 'GET', '/guarded'],
      ['items-delete', 'DELETE', '/items'],
      ['wildcard', 'GET', '/wildcard'],
    ]),
    'apis/corsapi/policy.xml': policies({
      inbound: corsPolicy('https://app.example.com', true, true, ['content-type', 'x-custom'], ['x-request-id']) + '<base />',
    }),
    'apis/corsapi/operations/lenient/policy.xml': policies({ inbound: corsPolicy('https://other.example.com/', false, false, ['*'], []) }),
    'apis/corsapi/operations/guarded/policy.xml': policies({
      inbound: `<base /><check-header name="X-Required" failed-check-httpcode="400" failed-check-error-message="X-Required missing" ignore-case="false" />`,
    }),
    'apis/corsapi/operations/wildcard/policy.xml': policies({ inbound: corsPolicy('*', false, false, ['*'], []) }),
    'apis/corsapi/operations/chained/policy.xml': policies({
      inbound: corsPolicy('https://partner.example', false, false, ['*'], []) + '<base />',
    }),
    // --- an open API (no subscription): rate-limit does not apply, rate-limit-by-key does
    'apis/open/apiInformation.json': apiInformation({ displayName: 'Open', path: 'open', serviceUrl: `${backend.url}/open`, subscriptionRequired: false }),
    'apis/open/specification.json': ops([
      ['rl-anon', 'GET', '/rl-anon'],
      ['rlk-anon', 'GET', '/rlk-anon'],
    ]),
    'apis/open/operations/rl-anon/policy.xml': policies({ inbound: `<base /><rate-limit calls="1" renewal-period="60" />` }),
    'apis/open/operations/rlk-anon/policy.xml': policies({ inbound: `<base /><rate-limit-by-key calls="1" renewal-period="60" counter-key="rlk-anon" />` }),
    // --- an API whose policy picks a Backend by id: a narrower base-url cannot override it
    'apis/inherit/apiInformation.json': apiInformation({ displayName: 'Inherit', path: 'inherit', serviceUrl: `${backend.url}/inherit`, subscriptionRequired: false }),
    'apis/inherit/specification.json': ops([
      ['url-after-id', 'GET', '/url-after-id'],
      ['id-after-id', 'GET', '/id-after-id'],
    ]),
    'apis/inherit/policy.xml': policies({ inbound: `<base /><set-backend-service backend-id="echo-alt" />` }),
    // --- product, subscription
    'products/gold/productInformation.json': { properties: { displayName: 'Gold', subscriptionRequired: true, state: 'published' } },
    'products/gold/apis/pol/productApiInformation.json': {},
    'products/gold/apis/corsapi/productApiInformation.json': {},
    'products/gold/policy.xml': policies({
      inbound:
        '<base />' +
        setHeader('X-Trace', 'append', 'product') +
        `<quota calls="1000" renewal-period="3600"><api id="pol" calls="1000">` +
        `<operation id="quota-hour" calls="1" />` +
        `<operation id="quota-life" calls="1" renewal-period="0" />` +
        `<operation id="quota-bw" bandwidth="1" />` +
        `</api></quota>`,
      onError: '<base />' + setHeader('X-On-Error', 'append', 'product'),
    }),
    'subscriptions/gold-sub/subscriptionInformation.json': {
      properties: { displayName: 'Gold subscription', scope: '/products/gold', state: 'active', primaryKey: SUBSCRIPTION_KEY, startDate: '2024-01-01T00:00:07Z' },
    },
    // --- named values, backend, fragments
    'named values/env-name/namedValueInformation.json': { properties: { displayName: 'env-name', value: FRAGMENT_VALUE } },
    'named values/basic-password/namedValueInformation.json': { properties: { displayName: 'basic-password', value: 'pässword', secret: true } },
    'named values/feature-on/namedValueInformation.json': { properties: { displayName: 'feature-on', value: 'true' } },
    'named values/denied-code/namedValueInformation.json': { properties: { displayName: 'denied-code', value: '401' } },
    'named values/denied-message/namedValueInformation.json': { properties: { displayName: 'denied-message', value: 'API token missing or not allowed' } },
    'backends/echo-alt/backendInformation.json': {
      properties: {
        url: `${backend.url}/alt`,
        protocol: 'http',
        credentials: { header: { 'x-backend-cred': ['c1'] }, query: { code: ['q1'] }, authorization: { scheme: 'Basic', parameter: 'YWx0OnNlY3JldA==' } },
      },
    },
    'backends/echo-other/backendInformation.json': { properties: { url: `${backend.url}/other-backend`, protocol: 'http' } },
    'policy fragments/trace-fragment/policy.xml':
      `<fragment>${setHeader('X-Fragment', 'override', 'fragment-{{env-name}}')}<include-fragment fragment-id="inner-fragment" /></fragment>`,
    'policy fragments/trace-fragment/policyFragmentInformation.json': { properties: { description: 'adds trace headers', format: 'rawxml' } },
    'policy fragments/inner-fragment/policy.xml': `<fragment>${setHeader('X-Inner', 'override', 'inner')}</fragment>`,
  };
  for (const [op, xml] of Object.entries(opPolicies)) if (xml) files[`apis/pol/operations/${op}/policy.xml`] = xml;
  files['apis/pol/operations/sbs-url/policy.xml'] = policies({ inbound: `<base /><set-backend-service base-url="${backend.url}/other" />` });
  files['apis/inherit/operations/url-after-id/policy.xml'] = policies({ inbound: `<base /><set-backend-service base-url="${backend.url}/other" />` });
  files['apis/inherit/operations/id-after-id/policy.xml'] = policies({ inbound: `<base /><set-backend-service backend-id="echo-other" />` });
  files['apis/pol/operations/fr-refused/policy.xml'] = policies({ inbound: `<base /><set-backend-service base-url="${closedPortUrl}" />` });
  return writeApiopsFolder(files);
}

function jwtPolicies(): void {
  const key = `<issuer-signing-keys><key>${HS_SECRET.toString('base64')}</key></issuer-signing-keys>`;
  opPolicies.jwt = policies({
    inbound:
      `<base /><validate-jwt header-name="Authorization" require-scheme="Bearer">${key}` +
      `<audiences><audience>api://orders</audience></audiences><issuers><issuer>${ISSUER}</issuer></issuers>` +
      `<required-claims><claim name="roles" match="any"><value>Orders.Read</value><value>Orders.Admin</value></claim><claim name="scp" /></required-claims>` +
      `</validate-jwt>`,
  });
  opPolicies['jwt-custom'] = policies({
    inbound:
      `<base /><validate-jwt query-parameter-name="access_token" failed-validation-httpcode="403" failed-validation-error-message="Token refused" require-expiration-time="false" clock-skew="120">${key}` +
      `<audiences><audience>api://orders</audience></audiences></validate-jwt>`,
  });
  opPolicies['jwt-oidc'] = policies({
    inbound: `<base /><validate-jwt header-name="Authorization"><openid-config url="${oidc.discoveryUrl}" /><audiences><audience>api://oidc</audience></audiences></validate-jwt>`,
  });
}

async function hsToken(claims: JWTPayload, options: { secret?: Uint8Array; exp?: number | null } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ aud: 'api://orders', iss: ISSUER, roles: ['Orders.Admin'], scp: 'read', ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now + 3600);
  return jwt.sign(options.secret ?? HS_SECRET);
}

async function rsToken(key: KeyLike, kid: string, claims: JWTPayload): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ aud: 'api://oidc', iss: OIDC_ISSUER, ...claims }).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt(now).setExpirationTime(now + 3600).sign(key);
}

// ---------------------------------------------------------------- the table

type HeaderExpectation = Record<string, string | RegExp | null>;

interface BackendExpectation {
  method?: string;
  path?: string;
  query?: Record<string, string[]>;
  /** A substring of the raw request target, for encoding checks. */
  urlIncludes?: string;
  headers?: HeaderExpectation;
  /** The body the backend echoed back (read from the echo's answer). */
  echoedBody?: string;
  /** How many backend requests the row causes (default 1). */
  calls?: number;
}

interface Observed {
  res: Response;
  text: string;
  sentAt: number;
  receivedAt: number;
}

interface Row {
  name: string;
  /** A known product bug: the row runs and reports, without failing the suite. */
  todo?: string;
  request: {
    method?: string;
    /** A function when the path holds a token made in before(). */
    path: string | (() => string);
    headers?: Record<string, string | (() => string)>;
    body?: string;
    /**
     * Sent as a chunked stream in two parts; the second part waits until the backend received
     * the request, or 1 s when a buffering gateway holds it back (so a streamed forward cannot
     * see a complete body and send a Content-Length).
     */
    streamParts?: [string, string];
    /** Leave out the subscription key. */
    anonymous?: boolean;
  };
  status: number;
  statusText?: string;
  /** An object: the JSON body, compared exactly (activityId: ANY_ID); a string: the text. */
  body?: unknown;
  headers?: HeaderExpectation;
  backend: 'not-called' | BackendExpectation;
  check?: (o: Observed) => void;
}

const missingKey = { statusCode: 401, message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' };
const invalidKey = { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' };
const jwtNotPresent = { statusCode: 401, message: 'JWT not present.' };
const invalidJwt = { statusCode: 401, message: 'Invalid JWT.' };
const forbidden = { statusCode: 403, message: 'Forbidden' };
/** on-error across global → product → API (each appends after <base />). */
const onErrorRan = { 'x-on-error': 'global,product,api' };
const bearer = (name: string) => () => `Bearer ${tokens[name]}`;
const inQuery = (name: string) => () => `/pol/jwt-custom?access_token=${tokens[name]}`;
const origin = 'https://app.example.com';
const noCors = { 'access-control-allow-origin': null, 'access-control-allow-credentials': null, 'access-control-allow-methods': null };

/** A 429 whose message and retry header agree, within the renewal period. */
function tooManyRequests(headerName: string, period: number) {
  return ({ res, text }: Observed) => {
    const body = JSON.parse(text) as { statusCode: number; message: string };
    const m = /^Rate limit is exceeded\. Try again in (\d+) seconds\.$/.exec(body.message);
    assert.ok(m, `unexpected 429 message: ${body.message}`);
    assert.deepEqual(Object.keys(body), ['statusCode', 'message']);
    assert.equal(body.statusCode, 429);
    const seconds = Number(m[1]);
    assert.ok(seconds >= 1 && seconds <= period, `Try again in ${seconds} s is outside 1..${period}`);
    assert.equal(res.headers.get(headerName), String(seconds));
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  };
}

/**
 * A 403 quota answer: `Quota will be replenished in hh:mm:ss.` agrees with Retry-After, and the
 * replenish instant falls on a period boundary (`offset` seconds past a multiple of `period`
 * since the Unix epoch), wherever in [sentAt, receivedAt] the gateway looked at its clock.
 */
function quotaExceeded(kind: 'call volume' | 'bandwidth', period: number, offset: number) {
  return ({ res, text, sentAt, receivedAt }: Observed) => {
    const body = JSON.parse(text) as { statusCode: number; message: string };
    assert.deepEqual(Object.keys(body), ['statusCode', 'message']);
    assert.equal(body.statusCode, 403);
    const m = new RegExp(`^Out of ${kind} quota\\. Quota will be replenished in (\\d\\d):(\\d\\d):(\\d\\d)\\.$`).exec(body.message);
    assert.ok(m, `unexpected quota message: ${body.message}`);
    const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    assert.equal(res.headers.get('retry-after'), String(seconds));
    assert.ok(seconds >= 1 && seconds <= period);
    // The boundary lies in (sentAt + seconds - 1 s, receivedAt + seconds] (seconds were rounded up).
    const low = sentAt / 1000 + seconds - 1;
    const high = receivedAt / 1000 + seconds;
    const boundary = Math.ceil((low - offset) / period) * period + offset;
    assert.ok(boundary <= high + 0.001, `no period boundary (${period} s + ${offset} s) in [${low}, ${high}]`);
  };
}

const rows: Row[] = [
  // ---- subscription keys go through on-error too
  { name: 'no subscription key: 401 and on-error (global, API) runs', request: { path: '/pol/set-variable', anonymous: true }, status: 401, body: missingKey, headers: { 'x-on-error': 'global,api' }, backend: 'not-called' },
  { name: 'invalid subscription key: 401', request: { path: '/pol/set-variable', anonymous: true, headers: { 'Ocp-Apim-Subscription-Key': 'nope' } }, status: 401, body: invalidKey, backend: 'not-called' },

  // ---- check-header ({{named values}} in a typed attribute and in the message)
  { name: 'check-header: missing header → configured status and message', request: { path: '/pol/check-header' }, status: 401, body: { statusCode: 401, message: 'API token missing or not allowed' }, headers: { ...onErrorRan, 'content-type': 'application/json; charset=utf-8' }, backend: 'not-called' },
  { name: 'check-header: value not in the list', request: { path: '/pol/check-header', headers: { 'X-Api-Token': 'Secret-Three' } }, status: 401, body: { statusCode: 401, message: 'API token missing or not allowed' }, headers: onErrorRan, backend: 'not-called' },
  { name: 'check-header: ignore-case matches another case of a listed value', request: { path: '/pol/check-header', headers: { 'X-Api-Token': 'SECRET-two' } }, status: 200, headers: { 'x-on-error': null }, backend: { path: '/svc/check-header', headers: { 'x-api-token': 'SECRET-two' } } },
  { name: 'check-header without values: a missing header fails', request: { path: '/pol/check-presence' }, status: 412, body: { statusCode: 412, message: 'X-Present is required' }, headers: onErrorRan, backend: 'not-called' },
  { name: 'check-header without values: an empty header counts as present', request: { path: '/pol/check-presence', headers: { 'X-Present': '' } }, status: 200, backend: { path: '/svc/check-presence' } },

  // ---- ip-filter (the caller is loopback)
  { name: 'ip-filter allow: a listed caller passes', request: { path: '/pol/ip/allow' }, status: 200, backend: { path: '/svc/ip/allow' } },
  { name: 'ip-filter allow: an unlisted caller gets 403 Forbidden', request: { path: '/pol/ip/allow-other' }, status: 403, body: forbidden, headers: onErrorRan, backend: 'not-called' },
  { name: 'ip-filter forbid: a caller in the range gets 403 Forbidden', request: { path: '/pol/ip/forbid' }, status: 403, body: forbidden, headers: onErrorRan, backend: 'not-called' },

  // ---- cors (API scope: credentials, max-age, expose; operation scope: lenient and chained)
  {
    name: 'cors preflight, allowed, without a key: empty 200 with the CORS headers, backend not called',
    request: { method: 'OPTIONS', path: '/cors-api/items', anonymous: true, headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Content-Type,X-Custom' } },
    status: 200,
    body: '',
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': /^content-type,\s*x-custom$/i,
      'access-control-max-age': '300',
      vary: /\bOrigin\b/,
    },
    backend: 'not-called',
  },
  {
    name: 'cors preflight from an unlisted origin: empty 200 without CORS headers',
    request: { method: 'OPTIONS', path: '/cors-api/items', anonymous: true, headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } },
    status: 200,
    body: '',
    headers: noCors,
    backend: 'not-called',
  },
  {
    name: 'cors preflight asking for an unlisted header: empty 200 without CORS headers',
    request: { method: 'OPTIONS', path: '/cors-api/items', anonymous: true, headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-forbidden' } },
    status: 200,
    body: '',
    headers: noCors,
    backend: 'not-called',
  },
  {
    name: 'cors preflight for an operation whose method is not in allowed-methods: empty 200 without CORS headers',
    request: { method: 'OPTIONS', path: '/cors-api/items', anonymous: true, headers: { Origin: origin, 'Access-Control-Request-Method': 'DELETE' } },
    status: 200,
    body: '',
    headers: noCors,
    backend: 'not-called',
  },
  {
    name: 'cors simple GET from the allowed origin: backend answer with CORS headers',
    request: { path: '/cors-api/items', headers: { Origin: origin } },
    status: 200,
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': /^x-request-id$/i, vary: /\bOrigin\b/ },
    backend: { method: 'GET', path: '/cors/items', headers: { origin } },
  },
  {
    name: 'cors simple GET from an unlisted origin, terminate-unmatched-request=true: empty 200, backend not called',
    request: { path: '/cors-api/items', headers: { Origin: 'https://evil.example' } },
    status: 200,
    body: '',
    headers: noCors,
    backend: 'not-called',
  },
  {
    name: 'cors unmatched POST is not terminated: it proceeds without CORS headers',
    request: { method: 'POST', path: '/cors-api/items', headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, body: 'x' },
    status: 200,
    headers: noCors,
    backend: { method: 'POST', path: '/cors/items' },
  },
  {
    name: 'cors terminate-unmatched-request=false: an unmatched GET reaches the backend without CORS headers',
    request: { path: '/cors-api/lenient', headers: { Origin: 'https://evil.example' } },
    status: 200,
    headers: noCors,
    backend: { path: '/cors/lenient' },
  },
  {
    name: 'cors origin with a trailing slash in the policy matches; no credentials header by default',
    request: { path: '/cors-api/lenient', headers: { Origin: 'https://other.example.com' } },
    status: 200,
    headers: { 'access-control-allow-origin': 'https://other.example.com', 'access-control-allow-credentials': null },
    backend: { path: '/cors/lenient' },
  },
  {
    name: 'cors origin *: any origin gets Access-Control-Allow-Origin: *',
    request: { path: '/cors-api/wildcard', headers: { Origin: 'https://anyone.example' } },
    status: 200,
    headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': null },
    backend: { path: '/cors/wildcard' },
  },
  {
    name: 'cors: an unmatched non-terminating operation cors falls through to the API cors via <base/>',
    request: { path: '/cors-api/chained', headers: { Origin: origin } },
    status: 200,
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' },
    backend: { path: '/cors/chained' },
  },

  {
    name: 'cors: a policy error answer to an allowed origin gets the CORS headers',
    request: { path: '/cors-api/guarded', headers: { Origin: origin } },
    status: 400,
    body: { statusCode: 400, message: 'X-Required missing' },
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': /^x-request-id$/i, vary: /\bOrigin\b/ },
    backend: 'not-called',
  },
  {
    name: 'cors: a missing-key 401 to an allowed origin gets the CORS headers (docs/policies/cors.md)',
    request: { path: '/cors-api/items', anonymous: true, headers: { Origin: origin } },
    status: 401,
    body: missingKey,
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: /\bOrigin\b/ },
    backend: 'not-called',
  },

  // ---- rate-limit (per subscription; own operations)
  { name: 'rate-limit call 1 of 2: remaining and total headers', request: { path: '/pol/rate-limit' }, status: 200, headers: { 'x-remaining': '1', 'x-total': '2' }, backend: { path: '/svc/rate-limit' } },
  { name: 'rate-limit call 2 of 2', request: { path: '/pol/rate-limit' }, status: 200, headers: { 'x-remaining': '0', 'x-total': '2' }, backend: { path: '/svc/rate-limit' } },
  {
    name: 'rate-limit call 3: 429 with Retry-After and Azure\'s body',
    request: { path: '/pol/rate-limit' },
    status: 429,
    headers: { ...onErrorRan, 'x-remaining': '0', 'x-total': '2' },
    backend: 'not-called',
    check: tooManyRequests('retry-after', 60),
  },
  { name: 'rate-limit retry-after-header-name: call 1', request: { path: '/pol/rate-limit-custom' }, status: 200, backend: { path: '/svc/rate-limit-custom' } },
  { name: 'rate-limit retry-after-header-name: call 2 → 429 with X-Retry-In, no Retry-After', request: { path: '/pol/rate-limit-custom' }, status: 429, headers: { 'retry-after': null }, backend: 'not-called', check: tooManyRequests('x-retry-in', 60) },
  { name: 'rate-limit <api>/<operation> child limit: call 1', request: { path: '/pol/rate-limit-child' }, status: 200, backend: { path: '/svc/rate-limit-child' } },
  { name: 'rate-limit <api>/<operation> child limit: call 2 → 429', request: { path: '/pol/rate-limit-child' }, status: 429, backend: 'not-called', check: tooManyRequests('retry-after', 60) },
  { name: 'rate-limit does not apply without a subscription (call 1)', request: { path: '/open/rl-anon', anonymous: true }, status: 200, backend: { path: '/open/rl-anon' } },
  { name: 'rate-limit does not apply without a subscription (call 2)', request: { path: '/open/rl-anon', anonymous: true }, status: 200, backend: { path: '/open/rl-anon' } },

  // ---- rate-limit-by-key
  { name: 'rate-limit-by-key call 1 of 1', request: { path: '/pol/rlk' }, status: 200, headers: { 'x-remaining': '0', 'x-total': '1' }, backend: { path: '/svc/rlk' } },
  { name: 'rate-limit-by-key call 2 → 429', request: { path: '/pol/rlk' }, status: 429, headers: { ...onErrorRan, 'x-remaining': '0', 'x-total': '1' }, backend: 'not-called', check: tooManyRequests('retry-after', 60) },
  { name: 'rate-limit-by-key: another policy with the same counter-key shares the count', request: { path: '/pol/rlk-shared' }, status: 200, headers: { 'x-remaining': '3' }, backend: { path: '/svc/rlk-shared' } },
  { name: 'rate-limit-by-key increment-condition=false: call 1 not counted', request: { path: '/pol/rlk-nocount' }, status: 200, headers: { 'x-remaining': '1' }, backend: { path: '/svc/rlk-nocount' } },
  { name: 'rate-limit-by-key increment-condition=false: call 2 still passes', request: { path: '/pol/rlk-nocount' }, status: 200, headers: { 'x-remaining': '1' }, backend: { path: '/svc/rlk-nocount' } },
  { name: 'rate-limit-by-key increment-count=2 of 3: call 1', request: { path: '/pol/rlk-count2' }, status: 200, headers: { 'x-remaining': '1' }, backend: { path: '/svc/rlk-count2' } },
  { name: 'rate-limit-by-key increment-count=2 of 3: call 2 would exceed → 429', request: { path: '/pol/rlk-count2' }, status: 429, backend: 'not-called', check: tooManyRequests('retry-after', 60) },
  { name: 'rate-limit-by-key applies without a subscription: call 1', request: { path: '/open/rlk-anon', anonymous: true }, status: 200, backend: { path: '/open/rlk-anon' } },
  { name: 'rate-limit-by-key applies without a subscription: call 2 → 429, on-error global only', request: { path: '/open/rlk-anon', anonymous: true }, status: 429, headers: { 'x-on-error': 'global' }, backend: 'not-called', check: tooManyRequests('retry-after', 60) },

  // ---- quota (product scope; periods from the subscription's startDate, :07 past the hour)
  { name: 'quota (operation child, hourly): call 1', request: { path: '/pol/quota-hour' }, status: 200, backend: { path: '/svc/quota-hour' } },
  { name: 'quota (operation child, hourly): call 2 → 403 with replenish time and Retry-After', request: { path: '/pol/quota-hour' }, status: 403, headers: onErrorRan, backend: 'not-called', check: quotaExceeded('call volume', 3600, 7) },
  { name: 'quota lifetime (renewal-period=0): call 1', request: { path: '/pol/quota-life' }, status: 200, backend: { path: '/svc/quota-life' } },
  {
    name: 'quota lifetime: call 2 → 403 "Out of call volume quota." without Retry-After',
    request: { path: '/pol/quota-life' },
    status: 403,
    body: { statusCode: 403, message: 'Out of call volume quota.' },
    headers: { ...onErrorRan, 'retry-after': null },
    backend: 'not-called',
  },
  { name: 'quota bandwidth 1 KB: a 2 KB request crosses it and still completes', request: { method: 'POST', path: '/pol/quota-bw', body: 'b'.repeat(2048) }, status: 200, backend: { method: 'POST', path: '/svc/quota-bw', headers: { 'content-length': '2048' } } },
  { name: 'quota bandwidth: the next call → 403 Out of bandwidth quota', request: { method: 'POST', path: '/pol/quota-bw', body: 'x' }, status: 403, headers: onErrorRan, backend: 'not-called', check: quotaExceeded('bandwidth', 3600, 7) },

  // ---- quota-by-key
  { name: 'quota-by-key (first-period-start :10, 300 s): call 1', request: { path: '/pol/qbk' }, status: 200, backend: { path: '/svc/qbk' } },
  { name: 'quota-by-key: call 2 → 403 with replenish time on the first-period-start grid', request: { path: '/pol/qbk' }, status: 403, headers: onErrorRan, backend: 'not-called', check: quotaExceeded('call volume', 300, 10) },
  { name: 'quota-by-key lifetime: call 1', request: { path: '/pol/qbk-life' }, status: 200, backend: { path: '/svc/qbk-life' } },
  { name: 'quota-by-key lifetime: call 2 → 403 without Retry-After', request: { path: '/pol/qbk-life' }, status: 403, body: { statusCode: 403, message: 'Out of call volume quota.' }, headers: { 'retry-after': null }, backend: 'not-called' },
  { name: 'quota-by-key increment-condition=false: call 1 not counted', request: { path: '/pol/qbk-nocount' }, status: 200, backend: { path: '/svc/qbk-nocount' } },
  { name: 'quota-by-key increment-condition=false: call 2 still passes', request: { path: '/pol/qbk-nocount' }, status: 200, backend: { path: '/svc/qbk-nocount' } },

  // ---- set-header
  {
    name: 'set-header: override, skip, append, delete on the request; override on the response',
    request: { path: '/pol/set-header', headers: { 'X-Override': 'caller', 'X-Skip': 'caller', 'X-Append': 'caller', 'X-Delete': 'caller' } },
    status: 200,
    headers: { 'x-out': `out-${FRAGMENT_VALUE}`, 'x-global-out': 'yes' },
    backend: { headers: { 'x-multi': 'v1,v2', 'x-override': 'policy', 'x-skip': 'caller', 'x-new-skip': 'created', 'x-append': 'caller,policy', 'x-delete': null } },
  },

  // ---- set-query-parameter
  {
    name: 'set-query-parameter: override, skip, append, delete, and encoding of a new value',
    request: { path: '/pol/set-query?o=old&s=keep&a=1&d=gone' },
    status: 200,
    backend: { query: { o: ['new'], s: ['keep'], a: ['1', '2'], added: ['a b&c'] }, urlIncludes: 'added=a+b%26c' },
  },

  // ---- rewrite-uri
  { name: 'rewrite-uri: template path and query, unmatched parameters copied', request: { path: '/pol/rewrite/42?extra=x' }, status: 200, backend: { path: '/svc/v2/items/42', query: { fixed: ['1'], extra: ['x'] } } },
  { name: 'rewrite-uri copy-unmatched-params=false: only the template query', request: { path: '/pol/rewrite-strict/42?extra=x' }, status: 200, backend: { path: '/svc/v2/items/42', query: { fixed: ['1'] } } },

  // ---- set-backend-service
  { name: 'set-backend-service base-url: new base, same relative path and query', request: { path: '/pol/sbs-url?x=1' }, status: 200, backend: { path: '/other/sbs-url', query: { x: ['1'] } } },
  {
    name: 'set-backend-service backend-id: the Backend\'s URL and credentials',
    request: { path: '/pol/sbs-id?x=1', headers: { Authorization: 'Bearer caller' } },
    status: 200,
    backend: { path: '/alt/sbs-id', query: { x: ['1'], code: ['q1'] }, headers: { 'x-backend-cred': 'c1', authorization: 'Basic YWx0OnNlY3JldA==' } },
  },
  { name: 'set-backend-service: base-url cannot override a backend-id inherited from a broader scope (Azure limitation)', request: { path: '/inherit/url-after-id', anonymous: true }, status: 200, backend: { path: '/alt/url-after-id', headers: { 'x-backend-cred': 'c1' } } },
  { name: 'set-backend-service: a narrower backend-id does override it', request: { path: '/inherit/id-after-id', anonymous: true }, status: 200, backend: { path: '/other-backend/id-after-id', headers: { 'x-backend-cred': 'c1' } } },

  // ---- set-method, set-status
  { name: 'set-method: POST becomes PUT and keeps its body', request: { method: 'POST', path: '/pol/set-method', body: 'hello body' }, status: 200, backend: { method: 'PUT', path: '/svc/set-method', echoedBody: 'hello body' } },
  { name: 'set-status in outbound: the backend\'s 200 becomes 202 with the reason', request: { path: '/pol/set-status' }, status: 202, statusText: 'Accepted Later', backend: { path: '/svc/set-status' } },

  // ---- return-response, mock-response
  {
    name: 'return-response: status, headers ({{named value}}) and body; rest of the pipeline skipped',
    request: { path: '/pol/return-response' },
    status: 418,
    statusText: 'Short And Stout',
    body: '{"answer": 42}',
    headers: { 'content-type': 'application/json', 'x-returned': FRAGMENT_VALUE, 'x-after-return': null, 'x-global-out': null },
    backend: 'not-called',
  },
  { name: 'return-response with only a body: 200, no Content-Type', request: { path: '/pol/return-bare' }, status: 200, body: 'plain text', headers: { 'content-type': null }, backend: 'not-called' },
  { name: 'mock-response: the first example of the 200 application/json representation', request: { path: '/pol/mock' }, status: 200, body: { id: 7, name: 'widget' }, headers: { 'content-type': 'application/json' }, backend: 'not-called' },
  { name: 'mock-response content-type=text/plain: that representation\'s example as text', request: { path: '/pol/mock-text' }, status: 200, body: 'seven widgets', headers: { 'content-type': 'text/plain' }, backend: 'not-called' },
  { name: 'mock-response 201 without example: a sample from the schema', request: { path: '/pol/mock-schema' }, status: 201, statusText: 'Created', body: { id: 0, name: 'string', tags: ['string'] }, headers: { 'content-type': 'application/json' }, backend: 'not-called' },

  // ---- forward-request
  { name: 'forward-request timeout=1: a slow backend → 500 with activityId, on-error runs', request: { path: '/pol/fr-timeout/delay/3000' }, status: 500, body: internalError, headers: onErrorRan, backend: { path: '/svc/fr-timeout/delay/3000' } },
  { name: 'forward-request: an unreachable backend → 500 with activityId, on-error runs', request: { path: '/pol/fr-refused' }, status: 500, body: internalError, headers: onErrorRan, backend: 'not-called' },
  { name: 'forward-request follow-redirects=true: the final answer after 2 redirects', request: { path: '/pol/fr-follow/redirect/2' }, status: 200, backend: { path: '/svc/fr-follow/landed', calls: 3 } },
  { name: 'forward-request follow-redirects=false: the 302 goes back with its Location', request: { path: '/pol/fr-nofollow/redirect/1' }, status: 302, headers: { location: '/svc/fr-nofollow/landed' }, backend: { path: '/svc/fr-nofollow/redirect/1' } },
  {
    name: 'forward-request buffer-request-body=true: a chunked request body reaches the backend with Content-Length',
    request: { method: 'POST', path: '/pol/fr-buffer', streamParts: ['streamed ', 'body'] },
    status: 200,
    backend: { method: 'POST', headers: { 'content-length': '13', 'transfer-encoding': null }, echoedBody: 'streamed body' },
  },
  {
    name: 'forward-request default (not buffered): the chunked body is streamed',
    request: { method: 'POST', path: '/pol/fr-stream', streamParts: ['streamed ', 'body'] },
    status: 200,
    backend: { method: 'POST', headers: { 'content-length': null, 'transfer-encoding': 'chunked' }, echoedBody: 'streamed body' },
  },
  { name: 'forward-request fail-on-error-status-code: backend 404 → Azure\'s 404 body, on-error runs', request: { path: '/pol/fr-fail/status/404' }, status: 404, body: { statusCode: 404, message: 'Backend service responded with status code 404.' }, headers: onErrorRan, backend: { path: '/svc/fr-fail/status/404' } },
  { name: 'forward-request fail-on-error-status-code: backend 503 → 503 body with activityId', request: { path: '/pol/fr-fail/status/503' }, status: 503, body: { statusCode: 503, message: 'Backend service responded with status code 503.', activityId: ANY_ID }, headers: onErrorRan, backend: { path: '/svc/fr-fail/status/503' } },
  { name: 'forward-request default: a backend 500 passes through, on-error does not run', request: { path: '/pol/fr-pass/status/500' }, status: 500, body: { status: 500 }, headers: { 'x-on-error': null, 'x-global-out': 'yes' }, backend: { path: '/svc/fr-pass/status/500' } },

  // ---- choose, set-variable
  { name: 'choose: the first true when ({{named value}} condition) wins; otherwise when none', request: { path: '/pol/choose' }, status: 200, backend: { headers: { 'x-branch': 'second', 'x-branch2': 'otherwise' } } },
  { name: 'set-variable with literal and {{named value}} values compiles and runs', request: { path: '/pol/set-variable' }, status: 200, backend: { path: '/svc/set-variable' } },

  // ---- validate-jwt: HS256 issuer-signing-keys, audiences, issuers, required-claims
  { name: 'validate-jwt: no Authorization header → 401 JWT not present.', request: { path: '/pol/jwt' }, status: 401, body: jwtNotPresent, headers: onErrorRan, backend: 'not-called' },
  { name: 'validate-jwt require-scheme=Bearer: another scheme counts as no token', request: { path: '/pol/jwt', headers: { Authorization: () => `Basic ${tokens.valid}` } }, status: 401, body: jwtNotPresent, backend: 'not-called' },
  { name: 'validate-jwt: a valid HS256 token passes, the header is forwarded', request: { path: '/pol/jwt', headers: { Authorization: bearer('valid') } }, status: 200, backend: { headers: { authorization: /^Bearer ey/ } } },
  { name: 'validate-jwt: not a JWT → Invalid JWT.', request: { path: '/pol/jwt', headers: { Authorization: 'Bearer not-a-jwt' } }, status: 401, body: invalidJwt, headers: onErrorRan, backend: 'not-called' },
  { name: 'validate-jwt require-signed-tokens default true: an unsigned (alg none) token', request: { path: '/pol/jwt', headers: { Authorization: bearer('unsigned') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: signed with another key', request: { path: '/pol/jwt', headers: { Authorization: bearer('otherKey') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: expired', request: { path: '/pol/jwt', headers: { Authorization: bearer('expired') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: expired 60 s ago, clock-skew default 0', request: { path: '/pol/jwt', headers: { Authorization: bearer('recentlyExpired') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: no exp with require-expiration-time default true', request: { path: '/pol/jwt', headers: { Authorization: bearer('noExp') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: audience not accepted', request: { path: '/pol/jwt', headers: { Authorization: bearer('wrongAudience') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: issuer not accepted', request: { path: '/pol/jwt', headers: { Authorization: bearer('wrongIssuer') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: required claim missing', request: { path: '/pol/jwt', headers: { Authorization: bearer('noScp') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: claim value not allowed (match=any)', request: { path: '/pol/jwt', headers: { Authorization: bearer('wrongRole') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt: the other listed role also passes (match=any)', request: { path: '/pol/jwt', headers: { Authorization: bearer('readRole') } }, status: 200, backend: { path: '/svc/jwt' } },
  // query-parameter-name, failed-validation-httpcode/-error-message, require-expiration-time=false
  { name: 'validate-jwt custom status and message: no token → 403 Token refused', request: { path: '/pol/jwt-custom' }, status: 403, body: { statusCode: 403, message: 'Token refused' }, headers: onErrorRan, backend: 'not-called' },
  { name: 'validate-jwt custom: bad audience → the same custom body', request: { path: inQuery('wrongAudienceNoExp') }, status: 403, body: { statusCode: 403, message: 'Token refused' }, backend: 'not-called' },
  { name: 'validate-jwt from the query, require-expiration-time=false: a token without exp passes', request: { path: inQuery('noExp') }, status: 200, backend: { path: '/svc/jwt-custom' } },
  { name: 'validate-jwt clock-skew=120: a token expired 60 s ago passes', request: { path: inQuery('recentlyExpired') }, status: 200, backend: { path: '/svc/jwt-custom' } },
  // openid-config discovery from a loopback server
  { name: 'validate-jwt openid-config: an RS256 token signed by a JWKS key with the discovered issuer passes', request: { path: '/pol/jwt-oidc', headers: { Authorization: bearer('oidcValid') } }, status: 200, backend: { path: '/svc/jwt-oidc' }, check: () => assert.ok((oidc.fetches['/keys'] ?? 0) >= 1, 'the JWKS was never fetched') },
  { name: 'validate-jwt openid-config: an issuer other than the discovered one', request: { path: '/pol/jwt-oidc', headers: { Authorization: bearer('oidcWrongIssuer') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt openid-config: a kid not in the JWKS', request: { path: '/pol/jwt-oidc', headers: { Authorization: bearer('oidcUnknownKid') } }, status: 401, body: invalidJwt, backend: 'not-called' },
  { name: 'validate-jwt openid-config: audience not accepted', request: { path: '/pol/jwt-oidc', headers: { Authorization: bearer('oidcWrongAudience') } }, status: 401, body: invalidJwt, backend: 'not-called' },

  // ---- authentication-basic (secret named value, UTF-8)
  {
    name: 'authentication-basic: replaces the caller\'s Authorization with Basic user:password (UTF-8)',
    request: { path: '/pol/basic', headers: { Authorization: 'Bearer caller-token' } },
    status: 200,
    backend: { headers: { authorization: `Basic ${Buffer.from('svc-user:pässword', 'utf8').toString('base64')}` } },
  },

  // ---- include-fragment, <base/> across scopes
  { name: 'include-fragment: the fragment (with a nested fragment and a {{named value}}) runs in place', request: { path: '/pol/fragment' }, status: 200, backend: { headers: { 'x-fragment': `fragment-${FRAGMENT_VALUE}`, 'x-inner': 'inner' } } },
  { name: '<base/> across global, product, API and operation inbound, and global outbound', request: { path: '/pol/scopes' }, status: 200, headers: { 'x-global-out': 'yes' }, backend: { headers: { 'x-trace': 'api-1,global,product,api-2,op' } } },
  { name: 'no <base/> in the operation\'s inbound: broader inbound policies do not run', request: { path: '/pol/scopes-nobase' }, status: 200, headers: { 'x-global-out': 'yes' }, backend: { headers: { 'x-trace': 'only-op' } } },

  // ---- on-error
  { name: 'on-error return-response replaces the error answer', request: { path: '/pol/onerror-answer' }, status: 503, statusText: 'Service Unavailable', body: { error: 'handled in on-error' }, headers: { 'content-type': 'application/json', 'x-on-error': null }, backend: 'not-called' },
  { name: 'on-error set-status changes the status of Azure\'s error answer, after <base/> ran', request: { path: '/pol/onerror-status' }, status: 503, statusText: 'Unavailable', body: { statusCode: 400, message: 'X-Required missing' }, headers: onErrorRan, backend: 'not-called' },
  {
    name: 'a policy failing inside on-error ends on-error with its own error answer (500)',
    request: { path: '/pol/onerror-fails' },
    status: 500,
    body: internalError,
    headers: { 'x-after-failure': null },
    backend: 'not-called',
  },
];

// ---------------------------------------------------------------- running it

before(async () => {
  backend = await startEchoBackend();
  hits = recordBackendHits(backend);
  closedPortUrl = await unusedLoopbackUrl();
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'oidc-1', alg: 'RS256', use: 'sig' };
  oidc = await startOpenIdServer(OIDC_ISSUER, { keys: [jwk] });
  jwtPolicies();

  const now = Math.floor(Date.now() / 1000);
  tokens.valid = await hsToken({});
  tokens.otherKey = await hsToken({}, { secret: randomBytes(32) });
  tokens.expired = await hsToken({}, { exp: now - 600 });
  tokens.noExp = await hsToken({}, { exp: null });
  tokens.unsigned = new UnsecuredJWT({ aud: 'api://orders', iss: ISSUER, roles: ['Orders.Admin'], scp: 'read' }).setIssuedAt(now).setExpirationTime(now + 3600).encode();
  tokens.recentlyExpired = await hsToken({}, { exp: now - 60 });
  tokens.wrongAudience = await hsToken({ aud: 'api://other' });
  tokens.wrongIssuer = await hsToken({ iss: 'https://elsewhere.test/' });
  tokens.noScp = await hsToken({ scp: undefined });
  tokens.wrongRole = await hsToken({ roles: ['Orders.Write'] });
  tokens.readRole = await hsToken({ roles: ['Other', 'Orders.Read'] });
  tokens.oidcValid = await rsToken(privateKey, 'oidc-1', {});
  tokens.oidcWrongIssuer = await rsToken(privateKey, 'oidc-1', { iss: 'https://impostor.test/' });
  tokens.oidcUnknownKid = await rsToken(other.privateKey, 'oidc-2', {});
  tokens.oidcWrongAudience = await rsToken(privateKey, 'oidc-1', { aud: 'api://orders' });
  tokens.wrongAudienceNoExp = await hsToken({ aud: 'api://other' }, { exp: null });

  gh = await startGatehouseProcess(['--config', configFolder()]);
});

after(async () => {
  await gh?.stop();
  await backend?.close();
  await oidc?.close();
});

function checkHeaders(actual: (name: string) => string | null | undefined, expected: HeaderExpectation, where: string): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual(name) ?? null;
    if (want === null) assert.equal(got, null, `${where} header ${name} should be absent`);
    else if (want instanceof RegExp) assert.match(got ?? '', want, `${where} header ${name}`);
    else assert.equal(got, want, `${where} header ${name}`);
  }
}


function twoPartStream(parts: [string, string], backendReached: () => boolean): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode(parts[0]));
      } else if (sent === 1) {
        const giveUp = Date.now() + 1000;
        while (!backendReached() && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 10));
        controller.enqueue(new TextEncoder().encode(parts[1]));
      } else {
        controller.close();
      }
      sent++;
    },
  });
}

describe('gateway policies end to end', () => {
  for (const row of rows) {
    it(row.name, { todo: row.todo }, async () => {
      const headers: Record<string, string> = {};
      if (!row.request.anonymous) headers['Ocp-Apim-Subscription-Key'] = SUBSCRIPTION_KEY;
      for (const [name, value] of Object.entries(row.request.headers ?? {})) headers[name] = typeof value === 'function' ? value() : value;
      const init: RequestInit & { duplex?: 'half' } = { method: row.request.method ?? 'GET', headers, redirect: 'manual' };
      if (row.request.body !== undefined) init.body = row.request.body;
      const hitsBefore = hits.length;
      if (row.request.streamParts !== undefined) {
        init.body = twoPartStream(row.request.streamParts, () => hits.length > hitsBefore);
        init.duplex = 'half';
      }
      const sentAt = Date.now();
      const path = typeof row.request.path === 'function' ? row.request.path() : row.request.path;
      const res = await fetch(`${gh.gatewayUrl}${path}`, init);
      const text = await res.text();
      const receivedAt = Date.now();
      const where = `${row.request.method ?? 'GET'} ${path.slice(0, 80)}`;

      assert.equal(res.status, row.status, `${where}: status ${res.status}, body ${text.slice(0, 300)}`);
      if (row.statusText !== undefined) assert.equal(res.statusText, row.statusText);
      if (row.body !== undefined) checkBody(text, row.body);
      checkHeaders((n) => res.headers.get(n), row.headers ?? {}, 'response');

      if (row.backend === 'not-called') {
        assert.equal(hits.length, hitsBefore, `${where}: the backend was called: ${hits.slice(hitsBefore).map((h) => h.url).join(', ')}`);
      } else {
        const expected = row.backend;
        assert.equal(hits.length - hitsBefore, expected.calls ?? 1, `${where}: backend calls`);
        const hit = hits[hits.length - 1]!;
        if (expected.method !== undefined) assert.equal(hit.method, expected.method);
        if (expected.path !== undefined) assert.equal(hit.path, expected.path);
        if (expected.query !== undefined) assert.deepEqual(hit.query, expected.query);
        if (expected.urlIncludes !== undefined) assert.ok(hit.url.includes(expected.urlIncludes), `backend url ${hit.url} lacks ${expected.urlIncludes}`);
        checkHeaders((n) => {
          const v = hit.headers[n];
          return Array.isArray(v) ? v.join(',') : v;
        }, expected.headers ?? {}, 'backend');
        if (expected.echoedBody !== undefined) assert.equal((JSON.parse(text) as { body: string }).body, expected.echoedBody);
      }
      row.check?.({ res, text, sentAt, receivedAt });
    });
  }
});
