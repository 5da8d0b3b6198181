/**
 * XPath in policy expressions through a real gateway process: XPathSelectElement(s) and
 * XPathEvaluate read and edit an XML request body; a literal path outside Gatehouse's XPath
 * subset is refused when the policy is saved (400, the policy never reaches the gateway); a path
 * built at run time that cannot run fails with .NET's XPathException text in on-error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { policies, setHeader } from './helpers/policy-e2e-support.js';

let gh: GatehouseProcess;
let call: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;

const order = '<order><line sku="a" qty="2">apple</line><line sku="b" qty="5">pear</line><note>keep</note></order>';

/** Reads the body once as an XDocument, answers with XPath results and an edited document. */
const answering = policies({
  inbound: `<base />
    <set-variable name="doc" value="@(context.Request.Body.As&lt;XDocument&gt;(preserveContent: true).ToString())" />
    <return-response>
      <set-status code="200" reason="OK" />
      ${setHeader('x-lines', 'override', '@(((double)XDocument.Parse((string)context.Variables["doc"]).XPathEvaluate("count(/order/line)")).ToString())')}
      ${setHeader('x-pear-qty', 'override', `@(XDocument.Parse((string)context.Variables["doc"]).XPathSelectElement("//line[.='pear']").Attribute("qty").Value)`)}
      <set-body>@{
        var d = XDocument.Parse((string)context.Variables["doc"]);
        foreach (var line in d.XPathSelectElements("/order/line[@qty &gt; 3]").ToList()) { line.Remove(); }
        d.XPathSelectElement("//note").SetValue(context.Request.Headers.GetValueOrDefault("x-note", "none"));
        return d.Root.ToString();
      }</set-body>
    </return-response>`,
});

/** The path comes from a header: one outside the subset fails at run time, in on-error. */
const pathFromHeader = policies({
  inbound: `<base />
    <return-response>
      <set-status code="200" reason="OK" />
      <set-body>@(XDocument.Parse("&lt;a&gt;&lt;b&gt;1&lt;/b&gt;&lt;/a&gt;").XPathSelectElement(context.Request.Headers.GetValueOrDefault("x-path", "/a/b")).Value)</set-body>
    </return-response>`,
  onError: `<base />${setHeader('x-error', 'override', '@(context.LastError.Message)')}`,
});

before(async () => {
  gh = await startGatehouseProcess([]);
  call = managementClient(gh);
  const api = await call('PUT', 'apis/xp', { properties: { displayName: 'XPath', path: 'xp', serviceUrl: 'http://127.0.0.1:9', protocols: ['http'], subscriptionRequired: false } });
  assert.equal(api.status, 201, api.text);
  for (const [id, urlTemplate] of [['orders', '/orders'], ['dynamic', '/dynamic']]) {
    const op = await call('PUT', `apis/xp/operations/${id}`, { properties: { displayName: id, method: 'POST', urlTemplate } });
    assert.equal(op.status, 201, op.text);
  }
  const saved = await call('PUT', 'apis/xp/operations/orders/policies/policy', { properties: { format: 'rawxml', value: answering } });
  assert.equal(saved.status, 201, saved.text);
  const dynamic = await call('PUT', 'apis/xp/operations/dynamic/policies/policy', { properties: { format: 'rawxml', value: pathFromHeader } });
  assert.equal(dynamic.status, 201, dynamic.text);
});

after(async () => {
  await gh?.stop();
});

async function eventually(url: string, init: RequestInit, ready: (res: Response) => boolean): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(url, init);
    if (ready(res) || Date.now() > deadline) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('XPath in policy expressions through the gateway', () => {
  it('selects, evaluates and edits an XML body with XPath', async () => {
    const res = await eventually(`${gh.gatewayUrl}/xp/orders`, { method: 'POST', body: order, headers: { 'content-type': 'application/xml', 'x-note': 'ship' } }, (r) => r.status === 200);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-lines'), '2');
    assert.equal(res.headers.get('x-pear-qty'), '5');
    assert.equal(await res.text(), '<order>\r\n  <line sku="a" qty="2">apple</line>\r\n  <note>ship</note>\r\n</order>');
  });

  it('refuses at save time a literal path outside the subset, and keeps the saved policy', async () => {
    const bad = answering.replace('count(/order/line)', 'sum(/order/line/@qty)');
    const refused = await call('PUT', 'apis/xp/operations/orders/policies/policy', { properties: { format: 'rawxml', value: bad } });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /The XPath 'sum\(\/order\/line\/@qty\)' uses the function 'sum\(\)', which Gatehouse does not support\./);
    const prefixed = answering.replace('//line[', '//p:line[');
    const refusedPrefix = await call('PUT', 'apis/xp/operations/orders/policies/policy', { properties: { format: 'rawxml', value: prefixed } });
    assert.equal(refusedPrefix.status, 400, refusedPrefix.text);
    assert.match(refusedPrefix.text, /Namespace Manager or XsltContext needed/);
    const still = await fetch(`${gh.gatewayUrl}/xp/orders`, { method: 'POST', body: order });
    assert.equal(still.headers.get('x-lines'), '2');
  });

  it('fails a path built at run time with .NET\'s XPathException text, never a crash', async () => {
    const ok = await eventually(`${gh.gatewayUrl}/xp/dynamic`, { method: 'POST', body: 'x' }, (r) => r.status === 200);
    assert.equal(await ok.text(), '1');
    const res = await fetch(`${gh.gatewayUrl}/xp/dynamic`, { method: 'POST', body: 'x', headers: { 'x-path': '/a/x:b' } });
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-error'), 'Expression evaluation failed. Namespace Manager or XsltContext needed. This query has a prefix, variable, or user-defined function.');
    await res.arrayBuffer();
  });
});
