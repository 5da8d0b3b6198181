/**
 * The transformation policies (set-body with and without Liquid, find-and-replace, json-to-xml,
 * xml-to-json) through a real `gatehouse start --config` process: request bodies set inbound
 * reach a real loopback backend, response bodies are rewritten outbound, Microsoft's conversion
 * examples (test/fixtures/transformation) come back converted, and a broken Liquid template is
 * refused at start with its line and column.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiFiles, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { corpusDocument } from './helpers/expression-snippets-support.js';
import { policies } from './helpers/policy-e2e-support.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/transformation/${name}`, import.meta.url), 'utf8');

let echo: EchoBackend;
let documents: Server;
let gh: GatehouseProcess;

const api = apiFiles;

before(async () => {
  echo = await startEchoBackend();
  // A backend answering with the fixture its path names, typed by its extension.
  documents = createServer((req, res) => {
    req.resume();
    const name = (req.url ?? '/').slice(1);
    res.writeHead(200, { 'content-type': name.endsWith('.xml') ? 'text/xml' : 'application/json' });
    res.end(fixture(name));
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  const documentsUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
  const dir = writeApiopsFolder({
    ...api('liquid', echo.url, [['json', 'POST', '/json'], ['xml', 'POST', '/xml']], policies({ inbound: '<base />' })),
    'apis/liquid/operations/json/policy.xml': policies({
      inbound: `<base />
        <set-body template="liquid">
{
  "order": {
    "id": "{{body.customer.purchase.identifier}}",
    "summary": "{{body.customer.purchase.orderShortDesc | Upcase}}",
    "agent": "{{context.Request.Headers["User-Agent"]}}"
  }
}</set-body>`,
    }),
    'apis/liquid/operations/xml/policy.xml': policies({
      inbound: `<base />
        <set-body template="liquid">{"customer": "{{ body["soap:Envelope"]["soap:Body"].GetOrders.Customer }}", "items": [{% for i in body["soap:Envelope"]["soap:Body"].GetOrders.Item %}"{{ i["@sku"] }}"{% unless forloop.last %},{% endunless %}{% endfor %}]}</set-body>
        <set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>`,
    }),
    ...api('snippets', echo.url, [['headers', 'GET', '/headers']], corpusDocument('List all inbound headers.policy.xml')),
    ...api('bodies', echo.url, [['replace', 'POST', '/replace'], ['outbound', 'GET', '/outbound']], policies({ inbound: '<base />' })),
    'apis/bodies/operations/replace/policy.xml': policies({
      inbound: '<base /><find-and-replace from="sad" to="happy" />',
      outbound: '<base /><find-and-replace from="happy" to="glad" />',
    }),
    'apis/bodies/operations/outbound/policy.xml': policies({
      outbound: '<base /><set-body>@{ var seen = context.Response.Body.As&lt;JObject&gt;(); return "backend saw " + (string)seen["method"] + " " + (string)seen["path"]; }</set-body>',
    }),
    ...api('convert', documentsUrl, [['person', 'GET', '/person.json'], ['soap', 'GET', '/soap-envelope.json'], ['orders', 'GET', '/orders-soap.xml']], policies({ inbound: '<base />' })),
    'apis/convert/operations/person/policy.xml': policies({ outbound: '<base /><json-to-xml apply="content-type-json" />' }),
    'apis/convert/operations/soap/policy.xml': policies({
      outbound: '<base /><json-to-xml apply="always" consider-accept-header="false" parse-date="false" namespace-separator=":" namespace-prefix="xmlns" attribute-block-name="#attrs" />',
    }),
    'apis/convert/operations/orders/policy.xml': policies({ outbound: '<base /><xml-to-json kind="direct" apply="content-type-xml" consider-accept-header="false" />' }),
  });
  gh = await startGatehouseProcess(['--config', dir]);
});

after(async () => {
  await gh?.stop();
  await echo?.close();
  documents?.closeAllConnections();
  await new Promise<void>((resolve) => (documents ? documents.close(() => resolve()) : resolve()));
});

interface Echo {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

describe('transformation policies (gatehouse process)', () => {
  it('a Liquid template over a JSON request body sets the body the backend receives', async () => {
    const res = await fetch(`${gh.gatewayUrl}/liquid/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'e2e-agent' },
      body: JSON.stringify({ customer: { purchase: { identifier: 'P-17', orderShortDesc: 'two books' } } }),
    });
    assert.equal(res.status, 200);
    const seen = (await res.json()) as Echo;
    assert.deepEqual(JSON.parse(seen.body), { order: { id: 'P-17', summary: 'TWO BOOKS', agent: 'e2e-agent' } });
  });

  it('a Liquid template over an XML request body reads elements and attributes', async () => {
    const xml = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetOrders><Customer>1234567</Customer><Item sku="a-1"/><Item sku="b-2"/></GetOrders></soap:Body></soap:Envelope>';
    const res = await fetch(`${gh.gatewayUrl}/liquid/xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
    const seen = (await res.json()) as Echo;
    assert.deepEqual(JSON.parse(seen.body), { customer: '1234567', items: ['a-1', 'b-2'] });
    assert.equal(seen.headers['content-type'], 'application/json');
  });

  it('the corpus snippet "List all inbound headers" answers with the caller\'s headers through Liquid', async () => {
    const res = await fetch(`${gh.gatewayUrl}/snippets/headers`, { headers: { 'x-probe': 'abc-123' } });
    assert.equal(res.status, 200);
    const text = await res.text();
    // The template keeps its own indentation (the {% endfor %} line's) before each line.
    assert.match(text, /^\s*x-probe: abc-123$/im);
    assert.match(text, /^\s*host: 127\.0\.0\.1:\d+$/im);
  });

  it('find-and-replace rewrites the request body inbound and the response body outbound', async () => {
    const res = await fetch(`${gh.gatewayUrl}/bodies/replace`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'so sad' });
    const text = await res.text();
    // The backend received "so happy"; its echo of it was rewritten on the way back.
    assert.match(text, /"body":"so glad"/);
    assert.doesNotMatch(text, /sad|happy/);
  });

  it('set-body outbound replaces the backend response with an expression over it', async () => {
    const res = await fetch(`${gh.gatewayUrl}/bodies/outbound`);
    assert.equal(await res.text(), 'backend saw GET /outbound');
  });

  it('json-to-xml converts a JSON response when the caller accepts XML, and leaves it otherwise', async () => {
    const asXml = await fetch(`${gh.gatewayUrl}/convert/person.json`, { headers: { accept: 'application/xml' } });
    assert.equal(asXml.headers.get('content-type'), 'application/xml');
    assert.equal(await asXml.text(), fixture('person.xml'));
    const asJson = await fetch(`${gh.gatewayUrl}/convert/person.json`, { headers: { accept: 'application/json' } });
    assert.deepEqual(await asJson.json(), JSON.parse(fixture('person.json')));
  });

  it("json-to-xml reproduces Microsoft's SOAP envelope example", async () => {
    const res = await fetch(`${gh.gatewayUrl}/convert/soap-envelope.json`);
    assert.equal(await res.text(), fixture('soap-envelope.xml'));
  });

  it('xml-to-json kind="direct" converts an XML response', async () => {
    const res = await fetch(`${gh.gatewayUrl}/convert/orders-soap.xml`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), JSON.parse(fixture('orders-soap.direct.json')));
  });
});

describe('transformation policies refused at start', () => {
  const cases: Array<{ name: string; policy: string; message: RegExp }> = [
    {
      name: 'a Liquid template that does not parse names the element, line and column',
      policy: '<policies>\n  <inbound>\n    <set-body template="liquid">\n{% for x in body.items %}\n  {{ x }}\n</set-body>\n  </inbound>\n</policies>',
      message: /Error in element 'set-body' on line 4, column 1: The Liquid template is not valid: tag \{% for x in body\.items %\} not closed/,
    },
    {
      name: 'json-to-xml without its required apply attribute',
      policy: '<policies>\n  <outbound>\n    <json-to-xml />\n  </outbound>\n</policies>',
      message: /Error in element 'json-to-xml' on line 3, column 5: The required attribute 'apply' is missing\./,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = writeApiopsFolder(api('a', 'http://127.0.0.1:9', [['x', 'POST', '/x']], c.policy));
      const r = await runGatehouse(['start', '--gateway-port', '0', '--data', mkdtempSync(join(tmpdir(), 'gatehouse-transform-')), '--config', dir]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, c.message);
    });
  }
});
