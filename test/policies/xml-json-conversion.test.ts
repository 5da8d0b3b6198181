import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/transformation/${name}`, import.meta.url), 'utf8');
/** Runs `policy` in outbound over a response body `body` of `contentType` (no backend; set through a variable). */
async function convert(policy: string, body: string, contentType: string, accept?: string, maxBufferedBodyBytes?: number) {
  const xml = `<policies><inbound><set-variable name="b" value="${body.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;')}" /></inbound>` +
    `<backend /><outbound><set-header name="Content-Type" exists-action="override"><value>${contentType}</value></set-header>` +
    `<set-body>@((string)context.Variables["b"])</set-body>${policy}</outbound></policies>`;
  return runPolicies({ api: xml, maxBufferedBodyBytes }, { headers: accept ? { accept } : {} });
}

describe('json-to-xml', () => {
  it("reproduces Microsoft's reference example (namespace prefix and separator, attribute block)", async () => {
    const r = await convert('<json-to-xml apply="always" consider-accept-header="false" parse-date="false" namespace-separator=":" namespace-prefix="xmlns" attribute-block-name="#attrs" />', fixture('soap-envelope.json'), 'application/json');
    assert.equal(r.body, fixture('soap-envelope.xml'));
    assert.equal(r.headers.get('content-type'), 'application/xml');
  });

  it('wraps an object of several properties in <Document>; arrays repeat, null is xsi:nil, true is True', async () => {
    const r = await convert('<json-to-xml apply="always" consider-accept-header="false" />', fixture('person.json'), 'application/json');
    assert.equal(r.body, fixture('person.xml'));
  });

  it('apply="content-type-json" converts only a JSON body', async () => {
    const policy = '<json-to-xml apply="content-type-json" consider-accept-header="false" />';
    assert.equal((await convert(policy, '{"a":1}', 'text/plain')).body, '{"a":1}');
    assert.equal((await convert(policy, '{"a":1}', 'application/problem+json')).body, '<a>1</a>'.replace('<a>1</a>', '<Document>\r\n  <a>1</a>\r\n</Document>'));
  });

  it('consider-accept-header (default true) converts only when the caller asks for XML', async () => {
    const policy = '<json-to-xml apply="always" />';
    assert.equal((await convert(policy, '{"a":1}', 'application/json')).body, '{"a":1}');
    assert.equal((await convert(policy, '{"a":1}', 'application/json', 'application/json')).body, '{"a":1}');
    assert.match((await convert(policy, '{"a":1}', 'application/json', 'text/html, application/xml;q=0.9')).body, /^<Document>/);
  });

  it('parse-date (default true) writes dates in round-trip form; false copies them', async () => {
    const body = '{"at":"2024-03-05T07:08:09.500Z","from":"2024-03-05T07:08:09.000+02:00"}';
    const parsed = await convert('<json-to-xml apply="always" consider-accept-header="false" />', body, 'application/json');
    assert.match(parsed.body, /<at>2024-03-05T07:08:09\.5Z<\/at>/);
    assert.match(parsed.body, /<from>2024-03-05T07:08:09\+02:00<\/from>/);
    const copied = await convert('<json-to-xml apply="always" consider-accept-header="false" parse-date="false" />', body, 'application/json');
    assert.match(copied.body, /<at>2024-03-05T07:08:09\.500Z<\/at>/);
  });

  it('with the default separator "_", a declared prefix makes v1_Item a prefixed name (the declaring element too); undeclared ones stay', async () => {
    const body = '{"v1_Root":{"xmlns_v1":"urn:v1","v1_Item":"a","first_name":"b"}}';
    const r = await convert('<json-to-xml apply="always" consider-accept-header="false" namespace-prefix="xmlns" />', body, 'application/json');
    assert.equal(r.body, '<v1:Root xmlns:v1="urn:v1">\r\n  <v1:Item>a</v1:Item>\r\n  <first_name>b</first_name>\r\n</v1:Root>');
  });

  it('encodes names that are not XML names as XmlConvert does', async () => {
    const r = await convert('<json-to-xml apply="always" consider-accept-header="false" />', '{"first name":"a","1x":"b"}', 'application/json');
    assert.match(r.body, /<first_x0020_name>a<\/first_x0020_name>/);
    assert.match(r.body, /<_x0031_x>b<\/_x0031_x>/);
  });

  it('a body that is not JSON fails the policy; a deep one too, without a crash', async () => {
    const bad = await convert('<json-to-xml apply="always" consider-accept-header="false" />', '{"a":', 'application/json');
    assert.equal(bad.status, 500);
    assert.equal(bad.gw.lastError?.reason, 'BodyConversionFailure');
    const deep = await convert('<json-to-xml apply="always" consider-accept-header="false" />', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), 'application/json');
    assert.equal(deep.status, 500);
  });

  it('refuses a missing apply, a bad value and the backend section at save time', () => {
    assert.match(expectCompileError('<policies><outbound><json-to-xml /></outbound></policies>').message, /required attribute 'apply' is missing/);
    assert.match(expectCompileError('<policies><outbound><json-to-xml apply="sometimes" /></outbound></policies>').message, /not one of: always, content-type-json/);
    assert.match(expectCompileError('<policies><outbound><json-to-xml apply="always" namespace-separator="::" /></outbound></policies>').message, /single character/);
    assert.match(expectCompileError('<policies><backend><json-to-xml apply="always" /></backend></policies>').message, /not allowed in the 'backend' section/);
  });
});

describe('xml-to-json', () => {
  it('kind="direct" keeps the declaration, @attributes and prefixes with $', async () => {
    const r = await convert('<xml-to-json kind="direct" apply="always" consider-accept-header="false" />', fixture('orders-soap.xml'), 'text/xml');
    assert.deepEqual(JSON.parse(r.body), JSON.parse(fixture('orders-soap.direct.json')));
    assert.equal(r.headers.get('content-type'), 'application/json');
  });

  it('kind="javascript-friendly" drops the declaration and namespace declarations', async () => {
    const r = await convert('<xml-to-json kind="javascript-friendly" apply="always" consider-accept-header="false" />', fixture('orders-soap.xml'), 'text/xml');
    assert.deepEqual(JSON.parse(r.body), { soap$Envelope: { soap$Body: { GetOrders: { Customer: '1234567' } } } });
  });

  it('repeated elements become arrays; always-array-child-elements makes every child one', async () => {
    const xml = '<r a="1"><i>x</i><i>y</i><j>z</j>text</r>';
    const plain = await convert('<xml-to-json kind="direct" apply="always" consider-accept-header="false" />', xml, 'application/xml');
    assert.deepEqual(JSON.parse(plain.body), { r: { '@a': '1', '#text': 'text', i: ['x', 'y'], j: 'z' } });
    const arrays = await convert('<xml-to-json kind="direct" apply="always" consider-accept-header="false" always-array-child-elements="true" />', xml, 'application/xml');
    assert.deepEqual(JSON.parse(arrays.body), { r: { '@a': '1', '#text': 'text', i: ['x', 'y'], j: ['z'] } });
  });

  it('apply="content-type-xml" and consider-accept-header decide whether it converts', async () => {
    assert.equal((await convert('<xml-to-json kind="direct" apply="content-type-xml" consider-accept-header="false" />', '<a/>', 'application/json')).body, '<a/>');
    assert.equal((await convert('<xml-to-json kind="direct" apply="always" />', '<a/>', 'text/xml', 'text/xml')).body, '<a/>');
    assert.equal((await convert('<xml-to-json kind="direct" apply="always" />', '<a/>', 'text/xml', 'application/json')).body, '{"a":null}');
  });

  it('round-trips Microsoft\'s example: json-to-xml then xml-to-json gives the JSON shape back', async () => {
    const xml = fixture('soap-envelope.xml');
    const r = await convert('<xml-to-json kind="javascript-friendly" apply="always" consider-accept-header="false" />', xml, 'application/xml');
    assert.deepEqual(JSON.parse(r.body), {
      soapenv$Envelope: { soapenv$Header: null, soapenv$Body: { v1$QueryList: { '@queryName': 'test', v1$QueryItem: { name: 'dummy text' } } } },
    });
  });

  it('a body that is not XML fails the policy', async () => {
    const r = await convert('<xml-to-json kind="direct" apply="always" consider-accept-header="false" />', '<a><b></a>', 'text/xml');
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.source, 'xml-to-json');
    assert.equal(r.gw.lastError?.reason, 'BodyConversionFailure');
  });

  it('refuses a missing kind at save time', () => {
    assert.match(expectCompileError('<policies><outbound><xml-to-json apply="always" /></outbound></policies>').message, /required attribute 'kind' is missing/);
  });
});

describe('find-and-replace', () => {
  it('replaces in the request body (inbound) and the response body (outbound)', async () => {
    const r = await runPolicies({
      api: '<policies><inbound><find-and-replace from="sad" to="happy" /><set-variable name="req" value="@(context.Request.Body.As&lt;string&gt;(preserveContent: true))" /></inbound><backend /><outbound><set-body>@((string)context.Variables["req"] + "|sad sad")</set-body><find-and-replace from="sad" to="glad" /></outbound></policies>',
    }, { method: 'POST', body: 'sad and sad' });
    assert.equal(r.body, 'happy and happy|glad glad');
  });

  it('takes expressions; an empty from is refused at save time', async () => {
    const r = await convert('<find-and-replace from="@(&quot;a&quot;)" to="@(&quot;b&quot;)" />', 'aXa', 'text/plain');
    assert.equal(r.body, 'bXb');
    assert.match(expectCompileError('<policies><inbound><find-and-replace from="" to="x" /></inbound></policies>').message, /must not be empty/);
    assert.match(expectCompileError('<policies><inbound><find-and-replace from="x" /></inbound></policies>').message, /required attribute 'to' is missing/);
  });

  it('a replacement that would grow the body past the buffering limit fails instead', async () => {
    const r = await convert(`<find-and-replace from="a" to="${'x'.repeat(100)}" />`, 'a'.repeat(50), 'text/plain', undefined, 1000);
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'BodyTooLarge');
  });
});

describe('request tracing of the transformation policies', () => {
  it('records what set-body, find-and-replace and the conversions did', async () => {
    const entries: Array<[string, string, unknown]> = [];
    const requestTrace = { record: (section: string, source: string, data: unknown) => void entries.push([section, source, data]) };
    await runPolicies({
      requestTrace,
      api: '<policies><inbound /><backend /><outbound><set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>' +
        '<set-body>{"a":"x"}</set-body><find-and-replace from="x" to="y" /><json-to-xml apply="always" consider-accept-header="false" />' +
        '<xml-to-json kind="direct" apply="content-type-xml" /></outbound></policies>',
    });
    assert.deepEqual(entries.filter(([, source]) => source !== 'set-header'), [
      ['outbound', 'set-body', { template: 'none', bytes: 9 }],
      ['outbound', 'find-and-replace', { side: 'response', replaced: 1 }],
      ['outbound', 'json-to-xml', { converted: true, side: 'response', bytes: 35 }],
      ['outbound', 'xml-to-json', { converted: false, reason: 'The Accept header does not ask for the converted type.' }],
    ]);
  });
});
