import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';
import { XsltRunner, XsltRunError } from '../../src/policies/xslt/xslt-runner.js';

const fixtures = new URL('../fixtures/xsl-transform/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const order = fixture('order.xml');
/** xslt-processor writes `<a/>` where .NET's XmlWriter writes `<a />`: the one serialisation difference (docs/policies/xsl-transform.md). */
const sameXmlText = (actual: string, expected: string): void => assert.equal(actual.replace(/ \/>/g, '/>'), expected.replace(/ \/>/g, '/>'));
const echoRequestBody = '<return-response><set-body>@(context.Request.Body.As<string>())</set-body></return-response>';
const sheet = (body: string, top = '') =>
  `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">${top}<xsl:template match="/">${body}</xsl:template></xsl:stylesheet>`;
const inbound = (transform: string) => `<policies><inbound><xsl-transform>${transform}</xsl-transform>${echoRequestBody}</inbound></policies>`;

const jsonBackend = useEchoBackend();
let xmlBackend: Server;
let xmlBackendUrl: string;
before(async () => {
  xmlBackend = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'content-length': String(Buffer.byteLength(order)) });
    res.end(order);
  });
  await new Promise<void>((resolve) => xmlBackend.listen(0, '127.0.0.1', resolve));
  xmlBackendUrl = `http://127.0.0.1:${(xmlBackend.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => {
  xmlBackend.closeAllConnections();
  xmlBackend.close(() => resolve());
}));

describe('xsl-transform: Microsoft\'s examples', () => {
  it('"Transform request body": the User-Agent parameter lands on the root element', async () => {
    const api = fixture('transform-request-body.policy.xml').replace('</inbound>', `${echoRequestBody}</inbound>`);
    const r = await runPolicies({ api }, { method: 'POST', body: order, headers: { 'user-agent': 'fixture-agent/1.0', 'content-type': 'application/xml' } });
    assert.equal(r.status, 200, JSON.stringify(r.gw.lastError));
    sameXmlText(r.body, fixture('transform-request-body.expected.xml'));
  });

  it('"Transform request body" without a User-Agent header gets the expression\'s default', async () => {
    const api = fixture('transform-request-body.policy.xml').replace('</inbound>', `${echoRequestBody}</inbound>`);
    const r = await runPolicies({ api }, { method: 'POST', body: '<a/>' });
    assert.match(r.body, /<a User-Agent="non-specified"\/>/);
  });

  it('"Transform response body": the backend\'s XML is copied, indented, without a declaration', async () => {
    const r = await runPolicies({ serviceUrl: xmlBackendUrl, api: fixture('transform-response-body.policy.xml') });
    assert.equal(r.status, 200, JSON.stringify(r.gw.lastError));
    sameXmlText(r.body, fixture('transform-response-body.expected.xml'));
    assert.equal(r.headers.get('content-length'), undefined, 'the backend\'s length no longer describes the body');
    assert.equal(r.headers.get('content-type'), 'application/xml; charset=utf-8');
  });

  it('the xsl-transform snippet of the public snippet corpus compiles and runs', async () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    const body = snippets['xsl-transform']!.body.join('\n').replace('$1', 'agent').replace('$2', '"x"').replace('$3', 'agent');
    const r = await runPolicies({ api: `<policies><inbound>${body}${echoRequestBody}</inbound></policies>` }, { method: 'POST', body: '<a b="1"><c/></a>' });
    sameXmlText(r.body, '<?xml version="1.0" encoding="utf-8"?>\n<a b="1">\n  <c />\n</a>');
  });
});

describe('xsl-transform at run time', () => {
  it('passes parameters from expressions and runs XSLT 1.0 features (sort, key, format-number, text output)', async () => {
    const xsl = sheet(
      `<xsl:for-each select="r/i"><xsl:sort select="@n" data-type="number"/><xsl:value-of select="concat($who, ':', @k, '=', format-number(number(@n), '0.00'), ';')"/></xsl:for-each><xsl:value-of select="key('byK','b')/@n"/>`,
      '<xsl:output method="text"/><xsl:param name="who"/><xsl:key name="byK" match="i" use="@k"/>',
    );
    const r = await runPolicies({ api: inbound(`<parameter name="who">@(context.Request.Headers.GetValueOrDefault("X-Who", "?"))</parameter>${xsl}`) }, {
      method: 'POST',
      body: '<r><i k="a" n="2"/><i k="b" n="1"/></r>',
      headers: { 'x-who': 'ann & co' },
    });
    assert.equal(r.body, 'ann & co:b=1.00;ann & co:a=2.00;1');
  });

  it('leaves a request without a body alone', async () => {
    const api = `<policies><inbound><xsl-transform>${sheet('<x/>')}</xsl-transform><return-response><set-status code="204" reason="No Content" /></return-response></inbound></policies>`;
    const r = await runPolicies({ api }, { method: 'GET' });
    assert.equal(r.status, 204, JSON.stringify(r.gw.lastError));
    assert.equal(r.gw.lastError, null);
  });

  it('refuses a request body that is not well-formed XML with 400', async () => {
    const r = await runPolicies({ api: inbound(sheet('<x/>')) }, { method: 'POST', body: '<a><b></a>' });
    assert.equal(r.status, 400);
    assert.equal(r.gw.lastError?.source, 'xsl-transform');
    assert.equal(r.gw.lastError?.reason, 'InvalidXmlBody');
    assert.match(r.json<{ message: string }>().message, /^The request body is not well-formed XML/);
  });

  it('a response body that is not XML fails with 500 Internal server error, its reason kept in LastError', async () => {
    const r = await runPolicies({ serviceUrl: jsonBackend.url, api: `<policies><outbound><xsl-transform>${sheet('<x/>')}</xsl-transform></outbound></policies>` });
    assert.equal(r.status, 500);
    assert.equal(r.json<{ message: string }>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.reason, 'InvalidXmlBody');
    assert.match(r.gw.lastError!.message, /^The response body is not well-formed XML/);
  });

  it('refuses a DTD (no entity expansion)', async () => {
    const r = await runPolicies({ api: inbound(sheet('<x><xsl:value-of select="."/></x>')) }, { method: 'POST', body: '<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>' });
    assert.equal(r.status, 400);
    assert.match(r.gw.lastError!.message, /DTD is prohibited/);
  });

  it('a body past the buffering limit fails with 413', async () => {
    const r = await runPolicies({ api: inbound(sheet('<x/>')), maxBufferedBodyBytes: 64 }, { method: 'POST', body: `<a>${'x'.repeat(100)}</a>` });
    assert.equal(r.status, 413);
  });

  it('a stylesheet that recurses without end fails the request, and the next transform still runs', async () => {
    const endless = `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:call-template name="f"/></xsl:template><xsl:template name="f"><y><xsl:call-template name="f"/></y></xsl:template></xsl:stylesheet>`;
    const failed = await runPolicies({ api: inbound(endless) }, { method: 'POST', body: '<a/>' });
    assert.equal(failed.status, 500);
    assert.equal(failed.gw.lastError?.source, 'xsl-transform');
    assert.ok(['TransformFailed', 'TransformTimeout', 'TransformResourcesExceeded'].includes(failed.gw.lastError!.reason), failed.gw.lastError!.reason);
    const ok = await runPolicies({ api: inbound(sheet('<ok/>', '<xsl:output omit-xml-declaration="yes"/>')) }, { method: 'POST', body: '<a/>' });
    assert.equal(ok.body, '<ok/>');
  });

  it('a transform past its deadline is stopped, and the runner starts a new worker', async () => {
    const runner = new XsltRunner({ timeoutMs: 200, heapMb: 64, maxQueued: 4 });
    try {
      const slow = sheet('<o><xsl:for-each select="//i"><xsl:for-each select="//i"><xsl:for-each select="//i"><xsl:value-of select="count(//i)"/></xsl:for-each></xsl:for-each></xsl:for-each></o>');
      const doc = `<r>${'<i/>'.repeat(200)}</r>`;
      const started = Date.now();
      const err = await runner.transform(doc, slow, [], { declaration: false, escape: true }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof XsltRunError && err.kind === 'timeout', String(err));
      assert.ok(Date.now() - started < 3000, 'stopped near its deadline');
      assert.equal(await runner.transform('<a/>', sheet('<b/>'), [], { declaration: false, escape: true }), '<b/>');
    } finally {
      await runner.close();
    }
  });
});

describe('xsl-transform at save time', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['XSLT 2.0', `<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"/></xsl:stylesheet>`, /Only XSLT version 1\.0/],
    ['xsl:import', sheet('<x/>', '<xsl:import href="http://example.com/a.xsl"/>'), /xsl:import is not supported/],
    ['xsl:include', sheet('<x/>', '<xsl:include href="a.xsl"/>'), /xsl:include is not supported/],
    ['an unknown instruction', sheet('<xsl:for-each-group select="a"/>'), /'xsl:for-each-group' is not an XSLT 1\.0 element/],
    ['a broken XPath', sheet('<xsl:value-of select="concat(a,"/>'), /is not a valid XPath expression/],
    ['document()', sheet('<xsl:copy-of select="document(\'http://example.com/x.xml\')"/>'), /document\(\) function is not allowed/],
    ['use-attribute-sets on a literal element', sheet('<o xsl:use-attribute-sets="s"/>', '<xsl:attribute-set name="s"><xsl:attribute name="z">1</xsl:attribute></xsl:attribute-set>'), /use-attribute-sets/],
    ['msxsl:script', `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:msxsl="urn:schemas-microsoft-com:xslt"><msxsl:script language="C#">x</msxsl:script><xsl:template match="/"/></xsl:stylesheet>`, /Scripts in stylesheets/],
    ['a stylesheet in another namespace', `<xsl:stylesheet version="1.0" xmlns:xsl="urn:not-xslt"><xsl:template match="/"/></xsl:stylesheet>`, /must be an 'xsl:stylesheet' element/],
    ['no stylesheet', '<parameter name="a">1</parameter>', /'xsl:stylesheet' is missing/],
    ['a parameter without a name', `<parameter>1</parameter>${sheet('<x/>')}`, /exactly one of 'name' and 'parameter-name'/],
    ['an unknown child', `<set-body>x</set-body>${sheet('<x/>')}`, /'set-body' is not allowed in 'xsl-transform'/],
    ['two stylesheets', sheet('<x/>') + sheet('<y/>'), /takes one stylesheet/],
  ];
  for (const [what, content, reason] of refused) {
    it(`refuses ${what}`, () => {
      const err = expectCompileError(`<policies><inbound><xsl-transform>${content}</xsl-transform></inbound></policies>`);
      assert.match(err.reason, reason);
      assert.ok(err.line >= 1 && err.column >= 1);
    });
  }

  it('is refused in the backend section and twice in one section', () => {
    assert.match(expectCompileError(`<policies><backend><xsl-transform>${sheet('<x/>')}</xsl-transform></backend></policies>`).reason, /not allowed|section/i);
    const twice = `<xsl-transform>${sheet('<x/>')}</xsl-transform>`;
    assert.equal(expectCompileError(`<policies><outbound>${twice}${twice}</outbound></policies>`).element, 'xsl-transform');
  });
});
