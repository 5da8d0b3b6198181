import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readWsdl } from '../../../src/management/wsdl/read-wsdl.js';
import { soapActionTemplate } from '../../../src/management/wsdl/soap-action-template.js';
import { parseSpecXml, SpecXmlError, specXmlLimits } from '../../../src/management/xml-spec/spec-xml.js';

const calculator = readFileSync(new URL('../../fixtures/soap/calculator.wsdl', import.meta.url), 'utf8');

const minimal = (binding: string, extra = ''): string => `<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:tns="urn:shop" targetNamespace="urn:shop">
  <message name="In"><part name="p" element="tns:Ping"/></message>
  <portType name="Shop">
    <operation name="Ping"><input message="tns:In"/></operation>
    <operation name="Pong"><input message="tns:In" wsam:Action="urn:shop:explicit"/></operation>
    ${extra}
  </portType>
  <binding name="ShopBinding" type="tns:Shop"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${binding}</binding>
  <service name="ShopService"><port name="ShopPort" binding="tns:ShopBinding"><soap:address location="https://shop.example/ws"/></port></service>
</definitions>`;

describe('WSDL 1.1 import (SOAP pass-through)', () => {
  it('reads the first service and its first SOAP port by default: a SOAP 1.1 binding, POST /?soapAction=<action> per operation', () => {
    const api = readWsdl(calculator);
    assert.equal(api.displayName, 'Calculator');
    assert.equal(api.service, 'Calculator');
    assert.equal(api.endpoint, 'CalculatorSoap');
    assert.equal(api.soapVersion, '1.1');
    assert.equal(api.serviceUrl, 'http://calculator.example.org/soap11');
    assert.equal(api.description, 'Adds and subtracts integers.');
    assert.deepEqual(
      api.operations.map((o) => [o.name, o.displayName, o.method, o.urlTemplate]),
      [
        ['add', 'Add', 'POST', '/?soapAction=http://example.org/calculator/Add'],
        ['subtract', 'Subtract', 'POST', '/?soapAction=http://example.org/calculator/Subtract'],
      ],
    );
    const add = api.operations[0]!;
    assert.equal(add.description, 'Adds two integers.');
    // The shape of Azure's own example operation (ApiManagementGetApiOperation): message names and element names.
    assert.deepEqual(add.request, { description: 'AddSoapIn', queryParameters: [], headers: [], representations: [{ contentType: 'text/xml', typeName: 'Add' }] });
    assert.deepEqual(add.responses, [{ statusCode: 200, description: 'AddSoapOut', representations: [{ contentType: 'text/xml', typeName: 'AddResponse' }], headers: [] }]);
    assert.deepEqual(add.templateParameters, []);
  });

  it('wsdlSelector picks the service and endpoint; a SOAP 1.2 binding is detected and described as application/soap+xml', () => {
    const api = readWsdl(calculator, { wsdlServiceName: 'Calculator', wsdlEndpointName: 'CalculatorSoap12' });
    assert.equal(api.soapVersion, '1.2');
    assert.equal(api.serviceUrl, 'http://calculator.example.org/soap12');
    assert.deepEqual(api.operations.map((o) => o.urlTemplate), ['/?soapAction=urn:calculator:Add12', '/?soapAction=urn:calculator:Subtract12']);
    assert.equal(api.operations[0]!.request?.representations?.[0]?.contentType, 'application/soap+xml');
    const mirror = readWsdl(calculator, { wsdlServiceName: 'CalculatorMirror' });
    assert.equal(mirror.serviceUrl, 'http://mirror.example.org/soap12');
    assert.equal(mirror.displayName, 'CalculatorMirror');
  });

  it('names an unknown service or endpoint and lists the ones there are', () => {
    assert.throws(() => readWsdl(calculator, { wsdlServiceName: 'Nope' }), /service 'Nope' is not defined \(services: Calculator, CalculatorMirror\)/);
    assert.throws(() => readWsdl(calculator, { wsdlServiceName: 'Calculator', wsdlEndpointName: 'X' }), /endpoint 'X' is not a port of service 'Calculator' \(ports: CalculatorSoap, CalculatorSoap12\)/);
  });

  it('without a soapAction uses the WS-Addressing action, else the default action pattern', () => {
    const api = readWsdl(minimal('<operation name="Ping"/><operation name="Pong"/>'));
    assert.deepEqual(api.operations.map((o) => o.urlTemplate), ['/?soapAction=urn:shop:Shop:PingRequest', '/?soapAction=urn:shop:explicit']);
    assert.equal(api.serviceUrl, 'https://shop.example/ws');
  });

  it('refuses two operations with the same action (a request could not be routed)', () => {
    const twice = minimal('<operation name="Ping"><soap:operation soapAction=""/></operation><operation name="Pong"><soap:operation soapAction=""/></operation>');
    assert.throws(() => readWsdl(twice), /operations 'Ping' and 'Pong' have the same SOAP action ''/);
  });

  it('encodes the characters a URL template gives meaning to', () => {
    assert.equal(soapActionTemplate('urn:a&b#c{d}+e f%'), '/?soapAction=urn:a%26b%23c%7Bd%7D%2Be%20f%25');
  });

  it('refuses what it cannot import, naming the reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['<definitions xmlns="http://www.w3.org/ns/wsdl"/>', /WSDL 2\.0/],
      ['<root/>', /not a WSDL 1\.1 document/],
      ['<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><import location="x.wsdl"/></definitions>', /wsdl:import is not supported/],
      ['<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>', /has no service/],
      [minimal('<operation name="Ping"/><operation name="Missing"/>'), /operation 'Missing' of binding 'ShopBinding' is not in portType 'Shop'/],
      [minimal('').replace('tns:ShopBinding', 'tns:Other'), /binding 'tns:Other' of port 'ShopPort' is not defined/],
      [minimal('').replace('<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>', ''), /not a SOAP 1\.1 or SOAP 1\.2 binding/],
      [minimal('<operation name="Ping"/>').replace('message="tns:In"/></operation>\n    <operation name="Pong">', 'message="tns:Gone"/></operation>\n    <operation name="Pong">'), /message 'tns:Gone' of operation 'Ping' is not defined/],
    ];
    for (const [text, reason] of cases) assert.throws(() => readWsdl(text), (err: unknown) => err instanceof SpecXmlError && reason.test(err.reason), text);
  });
});

describe('bounded XML reader (hostile documents)', () => {
  it('refuses a DOCTYPE, so no entity is ever declared or expanded', () => {
    const billionLaughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><definitions>&lol2;</definitions>';
    assert.throws(() => parseSpecXml(billionLaughs), /a DOCTYPE is not allowed/);
    assert.throws(() => parseSpecXml('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'), /a DOCTYPE is not allowed/);
  });

  it('refuses undeclared entities, malformed XML, unbound prefixes and two roots', () => {
    assert.throws(() => parseSpecXml('<a>&ext;</a>'), /not well-formed XML/);
    assert.throws(() => parseSpecXml('<a><b></a>'), /not well-formed XML/);
    assert.throws(() => parseSpecXml('<p:a/>'), /unbound namespace prefix 'p'/);
    assert.throws(() => parseSpecXml(''), /not well-formed XML/);
  });

  it('limits depth, element count and size', () => {
    const deep = '<a>'.repeat(specXmlLimits.maxDepth + 1) + '</a>'.repeat(specXmlLimits.maxDepth + 1);
    assert.throws(() => parseSpecXml(deep), /nested deeper than 128 levels/);
    const ok = '<a>'.repeat(specXmlLimits.maxDepth) + '</a>'.repeat(specXmlLimits.maxDepth);
    assert.equal(parseSpecXml(ok).local, 'a');
    assert.throws(() => parseSpecXml(`<a>${'<b/>'.repeat(specXmlLimits.maxElements)}</a>`), /more than 200000 elements/);
    assert.throws(() => parseSpecXml(`<a>${' '.repeat(specXmlLimits.maxChars)}</a>`), /larger than/);
  });

  it('resolves namespaces per element, including redeclared prefixes', () => {
    const root = parseSpecXml('<r xmlns="urn:one" xmlns:p="urn:p"><p:c/><d xmlns="urn:two"/><e/></r>');
    assert.deepEqual(root.children.map((c) => [c.ns, c.local]), [['urn:p', 'c'], ['urn:two', 'd'], ['urn:one', 'e']]);
  });
});
