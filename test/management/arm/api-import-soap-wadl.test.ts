import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startManagement, servicePath, type ManagementHarness } from './arm-harness.js';

const calculator = readFileSync(new URL('../../fixtures/soap/calculator.wsdl', import.meta.url), 'utf8');
const orders = readFileSync(new URL('../../fixtures/soap/orders.wadl', import.meta.url), 'utf8');
const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const templates = async (h: ManagementHarness, api: string): Promise<string[]> =>
  (await h.call('GET', `apis/${api}/operations`)).body.value.map((v: { properties: { urlTemplate: string } }) => v.properties.urlTemplate).sort();
const decodeLink = (link: string): string => {
  const m = /^data:([^;]+);base64,(.*)$/.exec(link);
  assert.ok(m, link);
  return Buffer.from(m[2]!, 'base64').toString('utf8');
};

describe('management API: WSDL and WADL import, API export', () => {
  let h: ManagementHarness;
  let links: Server;
  let base: string;
  before(async () => {
    h = await startManagement();
    links = createServer((req, res) => res.end(req.url === '/calc.wsdl' ? calculator : req.url === '/orders.wadl' ? orders : ''));
    await new Promise<void>((resolve) => links.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(links.address() as AddressInfo).port}`;
  });
  after(async () => {
    links.close();
    await h.close();
  });

  it('format wsdl creates a SOAP pass-through API: type soap, the port address as serviceUrl, one operation per SOAP action', async () => {
    const created = await put(h, 'apis/calc', { format: 'wsdl', value: calculator, path: 'calc', apiType: 'soap' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.properties.type, 'soap');
    assert.equal(created.body.properties.displayName, 'Calculator');
    assert.equal(created.body.properties.serviceUrl, 'http://calculator.example.org/soap11');
    assert.equal(created.body.properties.wsdlSelector, undefined);
    const add = await h.call('GET', 'apis/calc/operations/add');
    assert.equal(add.status, 200);
    assert.equal(add.body.properties.method, 'POST');
    assert.equal(add.body.properties.urlTemplate, '/?soapAction=http://example.org/calculator/Add');
    assert.equal(add.body.properties.displayName, 'Add');
    assert.equal(add.body.properties.request.description, 'AddSoapIn');
    assert.deepEqual(add.body.properties.responses[0].representations, [{ contentType: 'text/xml', typeName: 'AddResponse' }]);
  });

  it('wsdl-link with wsdlSelector imports the SOAP 1.2 endpoint it names; a bad selector is a 400 naming the field', async () => {
    const created = await put(h, 'apis/calc12', {
      format: 'wsdl-link',
      value: `${base}/calc.wsdl`,
      path: 'calc12',
      wsdlSelector: { wsdlServiceName: 'Calculator', wsdlEndpointName: 'CalculatorSoap12' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.properties.type, 'soap');
    assert.deepEqual(await templates(h, 'calc12'), ['/?soapAction=urn:calculator:Add12', '/?soapAction=urn:calculator:Subtract12']);
    const unknown = await put(h, 'apis/calc-x', { format: 'wsdl', value: calculator, path: 'calc-x', wsdlSelector: { wsdlServiceName: 'Nope' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].target, 'value');
    assert.match(unknown.body.error.details[0].message, /service 'Nope' is not defined/);
    const shape = await put(h, 'apis/calc-y', { format: 'wsdl', value: calculator, path: 'calc-y', wsdlSelector: { service: 'x' } });
    assert.equal(shape.status, 400);
    assert.equal(shape.body.error.details[0].target, 'wsdlSelector.service', 'the unknown member of wsdlSelector is named');
    assert.equal((await h.call('GET', 'apis/calc-x')).status, 404);
  });

  it('refuses SOAP to REST (a WSDL with apiType http) and hostile XML, storing nothing', async () => {
    const rest = await put(h, 'apis/calc-rest', { format: 'wsdl', value: calculator, path: 'calc-rest', apiType: 'http' });
    assert.equal(rest.status, 400);
    assert.equal(rest.body.error.details[0].target, 'apiType');
    const entity = await put(h, 'apis/evil', { format: 'wsdl', value: '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>', path: 'evil' });
    assert.equal(entity.status, 400);
    assert.match(entity.body.error.details[0].message, /Parsing error\(s\): line 1: a DOCTYPE is not allowed/);
    for (const name of ['calc-rest', 'evil']) assert.equal((await h.call('GET', `apis/${name}`)).status, 404);
  });

  it('format wadl-xml and wadl-link-json create an HTTP API from the resources', async () => {
    const byValue = await put(h, 'apis/orders', { format: 'wadl-xml', value: orders, path: 'orders' });
    assert.equal(byValue.status, 201, byValue.text);
    assert.equal(byValue.body.properties.type, 'http');
    assert.equal(byValue.body.properties.displayName, 'Orders');
    assert.equal(byValue.body.properties.serviceUrl, 'http://orders.example.org/api');
    // The REST import puts required query parameters into the template by default, as for OpenAPI.
    assert.deepEqual(await templates(h, 'orders'), ['/orders', '/orders/{orderId}', '/orders/{orderId}/lines/{line}', '/orders?shop={shop}']);
    const byLink = await put(h, 'apis/orders2', { format: 'wadl-link-json', value: `${base}/orders.wadl`, path: 'orders2', translateRequiredQueryParameters: 'query' });
    assert.equal(byLink.status, 201, byLink.text);
    assert.deepEqual(await templates(h, 'orders2'), ['/orders', '/orders', '/orders/{orderId}', '/orders/{orderId}/lines/{line}']);
  });

  it('exports the imported document: a data: link for the link formats, the text for the inline ones', async () => {
    const wsdl = await h.call('GET', 'apis/calc?export=true&format=wsdl-link');
    assert.equal(wsdl.status, 200, wsdl.text);
    assert.equal(wsdl.body.id, `${servicePath}/apis/calc`);
    assert.equal(wsdl.body.format, 'wsdl-link+xml');
    assert.equal(decodeLink(wsdl.body.value.link), calculator);
    // Node's fetch reads the link as it is.
    assert.equal(await (await fetch(wsdl.body.value.link)).text(), calculator);
    const inline = await h.call('GET', 'apis/orders?export=true&format=wadl');
    assert.equal(inline.body.format, 'wadl');
    assert.equal(inline.body.value, orders);
    const wrongFamily = await h.call('GET', 'apis/calc?export=true&format=openapi-link');
    assert.equal(wrongFamily.status, 400);
    assert.equal(wrongFamily.body.error.code, 'NotSupported');
    const unknown = await h.call('GET', 'apis/calc?export=true&format=pdf');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].target, 'format');
    // Without export=true the API itself answers.
    assert.equal((await h.call('GET', 'apis/calc?format=wsdl')).body.properties.type, 'soap');
  });

  it('exports an OpenAPI import in YAML or JSON, keeps the document for new revisions and drops it with the API', async () => {
    const yaml = 'openapi: 3.0.1\ninfo: {title: Pets, version: "1"}\npaths:\n  /pets:\n    get: {responses: {"200": {description: ok}}}\n';
    assert.equal((await put(h, 'apis/pets', { format: 'openapi', value: yaml, path: 'pets' })).status, 201);
    assert.equal((await h.call('GET', 'apis/pets?export=true&format=openapi')).body.value, yaml);
    const json = await h.call('GET', 'apis/pets?export=true&format=openapi%2Bjson-link');
    assert.equal(json.body.format, 'openapi-link');
    assert.equal(JSON.parse(decodeLink(json.body.value.link)).info.title, 'Pets');
    assert.equal((await h.call('GET', 'apis/pets?export=true&format=swagger-link')).status, 400);
    assert.equal((await put(h, 'apis/pets;rev=2', { sourceApiId: `${servicePath}/apis/pets` })).status, 201);
    assert.equal((await h.call('GET', 'apis/pets;rev=2?export=true&format=openapi')).body.value, yaml);
    const plain = await put(h, 'apis/plain', { displayName: 'Plain', path: 'plain' });
    assert.equal(plain.status, 201);
    const none = await h.call('GET', 'apis/plain?export=true&format=openapi');
    assert.equal(none.status, 400);
    assert.match(none.body.error.message, /was not imported from a specification/);
    assert.equal((await h.call('DELETE', 'apis/pets', { headers: { 'if-match': '*' } })).status, 200);
    assert.equal(await h.store.get('apis/pets/specifications/original'), undefined);
  });
});
