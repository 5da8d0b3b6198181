/**
 * What the per-policy case measures: one row per policy in its common configuration (issue 19
 * §3), each an API whose policy document adds just that to the empty pipeline, and the policies
 * left out with the reason. The harness test checks that every registered policy is in one of
 * the two lists (test/bench/policy-costs-quick.test.ts).
 */

/** The request a row sends, to its own API and, side by side, to the empty API. */
export interface CostRequest {
  method: 'GET' | 'POST';
  /** Query string without `?`, or ''. */
  query: string;
  headers: Record<string, string>;
  /** The chat body (POST) or none (GET). */
  body: string | null;
}

/** Where the row's policies go; `<base />` stays first in every section (the backend section's base forwards). */
export interface CostSections {
  inbound?: string;
  /** Replaces the backend section's `<base />` when given (it must forward itself). */
  backend?: string;
  outbound?: string;
}

export interface PolicyCostRow {
  /** Row id, also the API's name (`cost-<id>`). */
  id: string;
  /** The registered policy names this row gives a figure for (those it adds to the empty pipeline). */
  policies: string[];
  /** What is configured, as printed in the table. */
  configuration: string;
  sections: CostSections;
  request: CostRequest;
  /**
   * The sections go into the policy of a product (`cost-<id>`) holding the row's API, and
   * requests carry that product's subscription key (rate-limit, quota: per subscription; quota
   * is product scope only); the empty side then calls the empty keyed API through an empty
   * product the same way.
   */
  keyed?: boolean;
  /** The status every answer must have (default 200). */
  status?: number;
  /** Once warm, answers without calling the backend (return-response, mock-response, a cache hit); checked before measuring. */
  answersWithoutBackend?: boolean;
}

/** What a row's XML may refer to, known once the servers are up. */
export interface CostEnvironment {
  backendUrl: string;
  /** A path on the loopback side server that send-request calls (answers a small JSON). */
  sideUrl: string;
  /** A bearer token validate-jwt accepts (HS256, audience `bench`). */
  jwt: string;
  /** The base64 HS256 key of that token. */
  jwtKeyBase64: string;
}

export const CHAT_BODY = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: 'Name three rivers in Europe and the seas they flow into.' },
  ],
  max_tokens: 32,
});

/** The JSON schema of the chat body, the operation's request representation (validate-content checks it). */
export const CHAT_SCHEMA = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string' },
    max_tokens: { type: 'integer' },
    messages: { type: 'array', items: { type: 'object', required: ['role', 'content'], properties: { role: { type: 'string' }, content: { type: 'string' } } } },
  },
};

function chatRequest(env: CostEnvironment, extra: Partial<CostRequest> = {}): CostRequest {
  return {
    method: 'POST',
    query: '',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-client': 'bench', origin: 'https://app.example.com', authorization: `Bearer ${env.jwt}` },
    body: CHAT_BODY,
    ...extra,
  };
}

const q = (s: string) => s.replace(/"/g, '&quot;');
const header = (name: string, value: string) => `<set-header name="${name}" exists-action="override"><value>${value}</value></set-header>`;
const sendRequest = (env: CostEnvironment, variable: string) =>
  `<send-request mode="new" response-variable-name="${variable}" timeout="10" ignore-error="false"><set-url>${env.sideUrl}</set-url><set-method>GET</set-method></send-request>`;
const jsonToXml = '<json-to-xml apply="always" consider-accept-header="false" parse-date="false" />';
const ipKey = q('@(context.Request.IpAddress)');

/** Every measured row, in the order they run. */
export function policyCostRows(env: CostEnvironment): PolicyCostRow[] {
  const post = chatRequest(env);
  // No Authorization header: cache-lookup skips requests carrying one (private answers).
  const { authorization: _private, ...publicHeaders } = post.headers;
  const get: CostRequest = { ...post, method: 'GET', body: null, headers: publicHeaders };
  const rows: Array<Omit<PolicyCostRow, 'request'> & { request?: CostRequest }> = [
    { id: 'set-header', policies: ['set-header'], configuration: 'one request header set inbound', sections: { inbound: header('x-bench', '1') } },
    { id: 'set-header-expression', policies: ['set-header'], configuration: 'one request header from an expression', sections: { inbound: header('x-bench', q('@(context.Request.Headers.GetValueOrDefault("x-client", ""))')) } },
    { id: 'set-query-parameter', policies: ['set-query-parameter'], configuration: 'one query parameter set', sections: { inbound: '<set-query-parameter name="v" exists-action="override"><value>1</value></set-query-parameter>' } },
    { id: 'set-variable', policies: ['set-variable'], configuration: 'a variable from a header lookup', sections: { inbound: `<set-variable name="client" value="${q('@(context.Request.Headers.GetValueOrDefault("x-client", ""))')}" />` } },
    { id: 'rewrite-uri', policies: ['rewrite-uri'], configuration: 'template `/chat/completions?via=gw`', sections: { inbound: '<rewrite-uri template="/chat/completions?via=gw" />' } },
    { id: 'set-backend-service', policies: ['set-backend-service'], configuration: 'base-url of the same backend', sections: { inbound: `<set-backend-service base-url="${env.backendUrl}" />` } },
    { id: 'set-method', policies: ['set-method'], configuration: '`POST` (unchanged)', sections: { inbound: '<set-method>POST</set-method>' } },
    { id: 'set-status', policies: ['set-status'], configuration: 'outbound, 200 OK', sections: { outbound: '<set-status code="200" reason="OK" />' } },
    { id: 'choose', policies: ['choose'], configuration: 'one `when` on the method, a set-header in each branch', sections: { inbound: `<choose><when condition="${q('@(context.Request.Method == "GET")')}">${header('x-branch', 'get')}</when><otherwise>${header('x-branch', 'other')}</otherwise></choose>` } },
    { id: 'include-fragment', policies: ['include-fragment'], configuration: 'a fragment holding one set-header', sections: { inbound: '<include-fragment fragment-id="bench-fragment" />' } },
    { id: 'forward-request', policies: ['forward-request'], configuration: 'explicit `<forward-request timeout="60" />` in place of base', sections: { backend: '<forward-request timeout="60" />' } },
    { id: 'return-response', policies: ['return-response'], configuration: 'inbound, a 200 with a small JSON body: no backend call (negative: cheaper than forwarding)', answersWithoutBackend: true, sections: { inbound: '<return-response><set-status code="200" reason="OK" /><set-header name="content-type" exists-action="override"><value>application/json</value></set-header><set-body>{"ok":true}</set-body></return-response>' } },
    { id: 'mock-response', policies: ['mock-response'], configuration: 'inbound, 200 application/json from the operation: no backend call (negative)', answersWithoutBackend: true, sections: { inbound: '<mock-response status-code="200" content-type="application/json" />' } },
    { id: 'rate-limit', policies: ['rate-limit'], configuration: 'product scope, 1,000,000,000 calls / 60 s per subscription (a product key on both sides)', keyed: true, sections: { inbound: '<rate-limit calls="1000000000" renewal-period="60" />' } },
    { id: 'rate-limit-by-key', policies: ['rate-limit-by-key'], configuration: '1,000,000,000 calls / 60 s, counter-key = caller IP', sections: { inbound: `<rate-limit-by-key calls="1000000000" renewal-period="60" counter-key="${ipKey}" />` } },
    { id: 'quota', policies: ['quota'], configuration: 'product scope, 1,000,000,000 calls / hour per subscription (a product key on both sides)', keyed: true, sections: { inbound: '<quota calls="1000000000" renewal-period="3600" />' } },
    { id: 'quota-by-key', policies: ['quota-by-key'], configuration: '1,000,000,000 calls / hour, counter-key = caller IP', sections: { inbound: `<quota-by-key calls="1000000000" renewal-period="3600" counter-key="${ipKey}" />` } },
    { id: 'check-header', policies: ['check-header'], configuration: '`x-client` must be `bench`', sections: { inbound: '<check-header name="x-client" failed-check-httpcode="401" failed-check-error-message="no client" ignore-case="true"><value>bench</value></check-header>' } },
    { id: 'ip-filter', policies: ['ip-filter'], configuration: 'allow 127.0.0.0–127.255.255.255 and ::1', sections: { inbound: '<ip-filter action="allow"><address-range from="127.0.0.0" to="127.255.255.255" /><address>::1</address></ip-filter>' } },
    { id: 'cors', policies: ['cors'], configuration: 'one origin, POST, content-type; a simple (non-preflight) request with `Origin`', sections: { inbound: '<cors allow-credentials="false"><allowed-origins><origin>https://app.example.com</origin></allowed-origins><allowed-methods><method>POST</method><method>GET</method></allowed-methods><allowed-headers><header>content-type</header></allowed-headers></cors>' } },
    { id: 'validate-jwt', policies: ['validate-jwt'], configuration: 'HS256 bearer token, one signing key, audience checked', sections: { inbound: `<validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401"><issuer-signing-keys><key>${env.jwtKeyBase64}</key></issuer-signing-keys><audiences><audience>bench</audience></audiences></validate-jwt>` } },
    { id: 'authentication-basic', policies: ['authentication-basic'], configuration: 'username and password (replaces Authorization to the backend)', sections: { inbound: '<authentication-basic username="bench" password="s3cret" />' } },
    { id: 'send-request', policies: ['send-request'], configuration: 'GET to a loopback server in the same process (its work included), response kept in a variable', sections: { inbound: sendRequest(env, 'side') } },
    { id: 'send-one-way-request', policies: ['send-one-way-request'], configuration: 'GET to the same loopback server, not awaited', sections: { inbound: `<send-one-way-request mode="new"><set-url>${env.sideUrl}</set-url><set-method>GET</set-method></send-one-way-request>` } },
    { id: 'wait', policies: ['wait', 'send-request'], configuration: 'wait for="all" around two send-requests (compare with send-request)', sections: { inbound: `<wait for="all">${sendRequest(env, 'a')}${sendRequest(env, 'b')}</wait>` } },
    { id: 'retry', policies: ['retry'], configuration: 'around forward-request, condition on status >= 500, count 2, never retrying', sections: { backend: `<retry condition="${q('@(context.Response.StatusCode >= 500)')}" count="2" interval="0"><forward-request /></retry>` } },
    { id: 'limit-concurrency', policies: ['limit-concurrency'], configuration: 'key `bench`, max-count 1000, around forward-request', sections: { backend: '<limit-concurrency key="bench" max-count="1000"><forward-request /></limit-concurrency>' } },
    { id: 'cache-hit', policies: ['cache-lookup', 'cache-store'], configuration: 'GET; cache-lookup (internal) inbound, cache-store 3600 s outbound; every measured request a hit (no backend call); no Authorization header on either side', request: get, answersWithoutBackend: true, sections: { inbound: '<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" caching-type="internal" />', outbound: '<cache-store duration="3600" />' } },
    { id: 'cache-store-value', policies: ['cache-store-value'], configuration: 'a constant value, 3600 s, internal', sections: { inbound: '<cache-store-value key="bench-key" value="abc" duration="3600" caching-type="internal" />' } },
    { id: 'cache-lookup-value', policies: ['cache-lookup-value', 'cache-store-value'], configuration: 'cache-store-value then cache-lookup-value of that key (a hit); compare with cache-store-value', sections: { inbound: '<cache-store-value key="bench-key" value="abc" duration="3600" caching-type="internal" /><cache-lookup-value key="bench-key" variable-name="v" caching-type="internal" />' } },
    { id: 'cache-remove-value', policies: ['cache-remove-value'], configuration: 'removes an absent key, internal', sections: { inbound: '<cache-remove-value key="bench-gone" caching-type="internal" />' } },
    { id: 'trace', policies: ['trace'], configuration: 'severity information, one message, no debug token, no diagnostics', sections: { inbound: '<trace source="bench" severity="information"><message>hello</message></trace>' } },
    { id: 'emit-metric', policies: ['emit-metric'], configuration: 'value 1, one dimension (API ID), counted in a Prometheus registry', sections: { inbound: '<emit-metric name="bench-calls" value="1" namespace="bench"><dimension name="API ID" /></emit-metric>' } },
    { id: 'validate-content', policies: ['validate-content'], configuration: 'JSON body against the operation schema, prevent, max-size 100 KB', sections: { inbound: '<validate-content unspecified-content-type-action="prevent" max-size="102400" size-exceeded-action="prevent"><content type="application/json" validate-as="json" action="prevent" /></validate-content>' } },
    { id: 'validate-parameters', policies: ['validate-parameters'], configuration: 'specified prevent, unspecified ignore', sections: { inbound: '<validate-parameters specified-parameter-action="prevent" unspecified-parameter-action="ignore" />' } },
    { id: 'validate-headers', policies: ['validate-headers'], configuration: 'outbound, specified and unspecified ignore', sections: { outbound: '<validate-headers specified-header-action="ignore" unspecified-header-action="ignore" />' } },
    { id: 'validate-status-code', policies: ['validate-status-code'], configuration: 'outbound, unspecified prevent (200 is specified)', sections: { outbound: '<validate-status-code unspecified-status-code-action="prevent" />' } },
    { id: 'validate-odata-request', policies: ['validate-odata-request'], configuration: 'defaults (OData 4.0), on this non-OData request', sections: { inbound: '<validate-odata-request />' } },
    { id: 'llm-token-limit', policies: ['llm-token-limit'], configuration: '1,000,000,000 tokens / minute by caller IP, prompt tokens estimated', sections: { inbound: `<llm-token-limit counter-key="${ipKey}" tokens-per-minute="1000000000" estimate-prompt-tokens="true" />` } },
    { id: 'azure-openai-token-limit', policies: ['azure-openai-token-limit'], configuration: 'the same as llm-token-limit', sections: { inbound: `<azure-openai-token-limit counter-key="${ipKey}" tokens-per-minute="1000000000" estimate-prompt-tokens="true" />` } },
    { id: 'llm-emit-token-metric', policies: ['llm-emit-token-metric'], configuration: 'one dimension (API ID), usage read from the answer', sections: { inbound: '<llm-emit-token-metric namespace="bench"><dimension name="API ID" /></llm-emit-token-metric>' } },
    { id: 'azure-openai-emit-token-metric', policies: ['azure-openai-emit-token-metric'], configuration: 'the same as llm-emit-token-metric', sections: { inbound: '<azure-openai-emit-token-metric namespace="bench"><dimension name="API ID" /></azure-openai-emit-token-metric>' } },
    { id: 'set-body-liquid', policies: ['set-body'], configuration: 'inbound Liquid template reading two fields of the JSON body', sections: { inbound: '<set-body template="liquid">{"model": "{{body.model}}", "prompt": "{{body.messages[1].content}}"}</set-body>' } },
    { id: 'set-body-text', policies: ['set-body'], configuration: 'outbound constant text', sections: { outbound: '<set-body>{"ok":true}</set-body>' } },
    { id: 'find-and-replace', policies: ['find-and-replace'], configuration: 'outbound, one word of the answer', sections: { outbound: '<find-and-replace from="assistant" to="bot" />' } },
    { id: 'json-to-xml', policies: ['json-to-xml'], configuration: 'outbound, apply always, the chat answer (about 300 B)', sections: { outbound: jsonToXml } },
    { id: 'xml-to-json', policies: ['xml-to-json', 'json-to-xml'], configuration: 'outbound json-to-xml then xml-to-json direct; compare with json-to-xml', sections: { outbound: `${jsonToXml}<xml-to-json kind="direct" apply="always" consider-accept-header="false" />` } },
    { id: 'xsl-transform', policies: ['xsl-transform', 'json-to-xml'], configuration: 'outbound json-to-xml then a one-template stylesheet; compare with json-to-xml', sections: { outbound: `${jsonToXml}<xsl-transform><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><model><xsl:value-of select="//model" /></model></xsl:template></xsl:stylesheet></xsl-transform>` } },
    { id: 'jsonp', policies: ['jsonp'], configuration: 'outbound, `?cb=handle` on both sides', request: chatRequest(env, { query: 'cb=handle' }), sections: { outbound: '<jsonp callback-parameter-name="cb" />' } },
    { id: 'redirect-content-urls', policies: ['redirect-content-urls'], configuration: 'outbound, the chat answer', sections: { outbound: '<redirect-content-urls />' } },
  ];
  return rows.map((r) => ({ ...r, request: r.request ?? post }));
}

/** Registered policies with no row, and why (printed under the table; the test requires one or the other). */
export const UNMEASURED_POLICIES: Readonly<Record<string, string>> = {
  'cross-domain': 'global scope only, answered before routing for /crossdomain.xml; does nothing inside a request pipeline',
  'log-to-eventhub': 'needs an Event Hubs logger (a broker); its sender works in the background, off the request path',
  proxy: 'needs an HTTP proxy server in the path; not set up here',
  'authentication-managed-identity': 'needs a managed identity token endpoint; tokens are cached, so the hot path is a cache read',
  'authentication-certificate': 'needs a client certificate resource and a TLS backend; not set up here',
  'validate-client-certificate': 'needs a TLS listener and a client certificate; not set up here',
  'validate-azure-ad-token': 'needs an Entra authority (OpenID discovery); not set up here (validate-jwt measures the token check)',
  'validate-graphql-request': 'needs a GraphQL API and its schema; not set up here',
};
