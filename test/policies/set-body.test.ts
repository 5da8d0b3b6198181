import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

interface Echo {
  method: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const backend = useEchoBackend();
const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;
const noBackend = (inboundXml: string, outboundXml: string) =>
  `<policies><inbound>${inboundXml}</inbound><backend /><outbound>${outboundXml}</outbound></policies>`;
const json = { 'content-type': 'application/json' };

describe('set-body (the policy)', () => {
  it('sets the request body the backend receives (inbound, literal)', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound('<set-body>Hello world!</set-body>') }, { method: 'POST', body: 'old' });
    assert.equal(r.json<Echo>().body, 'Hello world!');
  });

  it('sets the response body (outbound, expression over the response)', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: '<policies><outbound><set-body>@(context.Response.Body.As&lt;JObject&gt;()["method"].ToString().ToLower())</set-body></outbound></policies>',
    }, { method: 'PUT' });
    assert.equal(r.body, 'put');
  });

  it('keeps markup content as written (a SOAP envelope)', async () => {
    const r = await runPolicies({
      api: noBackend('', '<set-body><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>1</a></soap:Body></soap:Envelope></set-body>'),
    });
    assert.equal(r.body, '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>1</a></soap:Body></soap:Envelope>');
  });

  it('in backend before forwarding sets the request body', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: '<policies><backend><set-body>from backend section</set-body><forward-request /></backend></policies>' },
      { method: 'POST', body: 'x' },
    );
    assert.equal(r.json<Echo>().body, 'from backend section');
  });

  it('is refused in on-error, where Azure does not allow it', () => {
    const err = expectCompileError('<policies><on-error><set-body>x</set-body></on-error></policies>');
    assert.match(err.message, /set-body.*not allowed in the 'on-error' section/);
  });

  it('refuses unknown attributes and bad values at save time', () => {
    assert.match(expectCompileError(inbound('<set-body foo="1">x</set-body>')).message, /'foo' attribute is not declared/);
    assert.match(expectCompileError(inbound('<set-body template="razor">x</set-body>')).message, /not one of: none, liquid/);
    assert.match(expectCompileError(inbound('<set-body xsi-nil="maybe">x</set-body>')).message, /not one of: blank, null/);
    assert.match(expectCompileError(inbound('<set-body parse-date="yes">x</set-body>')).message, /not a valid boolean/);
  });
});

describe('set-body template="liquid"', () => {
  it('renders Microsoft\'s JSON transform over a JSON request body', async () => {
    const template = '{\n"order": {\n    "id": "{{body.customer.purchase.identifier}}",\n    "summary": "{{body.customer.purchase.orderShortDesc}}"\n    }\n}';
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound(`<set-body template="liquid">${template}</set-body>`) },
      { method: 'POST', headers: json, body: JSON.stringify({ customer: { purchase: { identifier: 'A-1', orderShortDesc: 'Two books' } } }) },
    );
    assert.deepEqual(JSON.parse(r.json<Echo>().body), { order: { id: 'A-1', summary: 'Two books' } });
  });

  it('binds an XML body (attributes as @name, repeated elements as lists, qualified names)', async () => {
    const template = '{% for item in body["o:order"].item %}{{ item["@sku"] }}={{ item["#text"] }};{% endfor %}{{ body["o:order"].note }}';
    const xml = '<o:order xmlns:o="urn:o"><item sku="a">1</item><item sku="b">2</item><note>n</note></o:order>';
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound(`<set-body template="liquid">${template}</set-body>`) },
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml },
    );
    assert.equal(r.json<Echo>().body, 'a=1;b=2;n');
  });

  it('xsi-nil: blank reads a nil element as an empty string, null as nil', async () => {
    const xml = '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><v xsi:nil="true" /></r>';
    for (const [mode, want] of [['blank', '[]'], ['null', 'nil']] as const) {
      const r = await runPolicies(
        { serviceUrl: backend.url, api: inbound(`<set-body template="liquid" xsi-nil="${mode}">{% if body.r.v == nil %}nil{% else %}[{{ body.r.v }}]{% endif %}</set-body>`) },
        { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml },
      );
      assert.equal(r.json<Echo>().body, want, mode);
    }
  });

  it('parse-date: dates print as .NET prints them and take a C# Date format; false copies the text', async () => {
    const body = JSON.stringify({ at: '2024-03-05T07:08:09Z' });
    const run = (attrs: string, template: string) =>
      runPolicies({ serviceUrl: backend.url, api: inbound(`<set-body template="liquid"${attrs}>${template}</set-body>`) }, { method: 'POST', headers: json, body });
    assert.equal((await run('', '{{ body.at | Date: "yyyyMMddTHH:mm:ss" }}')).json<Echo>().body, '20240305T07:08:09');
    assert.equal((await run(' parse-date="false"', '{{ body.at }}')).json<Echo>().body, '2024-03-05T07:08:09Z');
    assert.notEqual((await run('', '{{ body.at }}')).json<Echo>().body, '2024-03-05T07:08:09Z');
  });

  it('uses Azure\'s Pascal-case filters; snake_case names leave the input unchanged', async () => {
    const r = await runPolicies(
      { api: noBackend('', '<set-body template="liquid">{{ "ab" | Upcase }} {{ "ab" | upcase }} {{ 3 | AtLeast: 5 }} {{ "a b" | UrlEncode }} {{ 1234.5 | Currency }} {{ "x,y" | Split: "," | Join: "+" }} {{ "&lt;b&gt;" | H }}</set-body>') },
    );
    assert.equal(r.body, 'AB ab 5 a+b $1,234.50 x+y &amp;lt;b&amp;gt;'.replace(/&amp;/g, '&'));
  });

  it('reads context: headers (pairs and case-insensitive lookup), URL parts, method, variables', async () => {
    const template =
      '{{ context.Request.Method }} {{ context.Request.Url.Path }} {{ context.Request.Url.Query.q }} {{ context.Request.Headers["x-demo"] }}' +
      '{% for h in context.Request.Headers %}{% if h.Key == "X-Demo" %} {{ h.Key }}={{ h.Value }}{% endif %}{% endfor %} {{ context.Variables["v"] }}';
    const r = await runPolicies(
      { api: noBackend('<set-variable name="v" value="var-value" />', `<set-body template="liquid">${template}</set-body>`) },
      { method: 'POST', url: 'http://gateway.test/api/items?q=1', headers: { 'X-Demo': 'yes' } },
    );
    assert.equal(r.body, 'POST /api/items 1 yes X-Demo=yes var-value');
  });

  it('templates reach only the documented members, never the gateway state behind them', async () => {
    const r = await runPolicies({
      subscription: { name: 'sub-1', displayName: 'Sub 1', scope: '/apis' } as never,
      api: noBackend('', '<set-body template="liquid">[{{ context.view }}{{ context.Request.view }}{{ context.Response.method }}{{ context.Api.constructor }}{{ context.Subscription.s }}{{ context.Subscription.req }}{{ context.Variables.pairs }}]{{ context.Api.Name }} {{ context.Subscription.Name }}</set-body>'),
    });
    assert.equal(r.body, '[]Test API Sub 1');
  });

  it('reads a JObject kept in a variable, as the "Extracting multiple values" snippet does', async () => {
    const template = '{%- assign vars = context.Variables["jsonResponse"] -%}<data val1="{{ vars[\'value1\'] }}" val3="{{ vars[\'value3\'][1] }}" />';
    const r = await runPolicies({
      api: noBackend(
        '<set-variable name="jsonResponse" value="@(JObject.Parse(&quot;{\\&quot;value1\\&quot;:\\&quot;a\\&quot;,\\&quot;value3\\&quot;:[1,2]}&quot;))" />',
        `<set-body template="liquid">${template}</set-body>`,
      ),
    });
    assert.equal(r.body, '<data val1="a" val3="2" />');
  });

  it('inside return-response renders with an empty body, as Microsoft documents', async () => {
    const r = await runPolicies(
      { api: inbound('<return-response><set-body template="liquid">[{{ body }}]{{ context.Request.Headers.size }}</set-body></return-response>') },
      { method: 'POST', headers: { ...json, 'x-a': '1' }, body: '{"a":1}' },
    );
    assert.equal(r.body, '[]3');
  });

  it('a template that does not parse is refused at save time with its line and column', () => {
    const err = expectCompileError('<policies>\n<inbound>\n<set-body template="liquid">\n{\n  "a": "{% if body.a %}"\n}</set-body>\n</inbound>\n</policies>');
    assert.equal(err.element, 'set-body');
    assert.equal(err.line, 5);
    assert.equal(err.column, 9);
    assert.match(err.reason, /Liquid template is not valid/);
    const tag = expectCompileError(inbound('<set-body template="liquid">{% if %}x{% endif %}</set-body>'));
    assert.match(tag.reason, /Liquid template is not valid/);
  });

  it('keeps {{name}} that names no named value for Liquid, and substitutes one that does', async () => {
    const r = await runPolicies({ namedValues: { greeting: 'hi' }, api: noBackend('', '<set-body template="liquid">{{greeting}} {{missing}}x</set-body>') });
    assert.equal(r.body, 'hi x');
    assert.match(expectCompileError(noBackend('', '<set-body>{{missing}}</set-body>')).message, /Cannot find a named value with name 'missing'/);
  });

  it('a runaway template fails the request with 500, never hangs', async () => {
    const r = await runPolicies({ api: noBackend('', '<set-body template="liquid">{% for i in (1..100000000) %}{{ i }}{% endfor %}</set-body>') });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.source, 'set-body');
    assert.equal(r.gw.lastError?.reason, 'LiquidTemplateFailure');
  });

  it('a render gets the expressions\' time budget (--expression-time-budget)', async () => {
    const slow = '<set-body template="liquid">{% for i in (1..2000) %}{% for j in (1..2000) %}{% endfor %}{% endfor %}done</set-body>';
    const r = await runPolicies({ expressionTimeBudgetMs: 20, api: noBackend('', slow) });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'LiquidTemplateFailure');
    assert.match(r.gw.lastError?.message ?? '', /render limit exceeded/);
  });

  it('output past the buffering limit fails the policy', async () => {
    const r = await runPolicies({
      maxBufferedBodyBytes: 1000,
      api: noBackend('', '<set-body template="liquid">{% for i in (1..300) %}abcdef{% endfor %}</set-body>'),
    });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'BodyTooLarge');
  });

  it('a malformed JSON body fails the policy with BodyConversionFailure', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-body template="liquid">{{ body.a }}</set-body>') },
      { method: 'POST', headers: json, body: '{"a":' },
    );
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'BodyConversionFailure');
  });
});
