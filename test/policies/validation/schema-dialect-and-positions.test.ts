import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { declaredDraft, lowerCaseKeys, standardSchema } from '../../../src/policies/validation/openapi-schema-dialect.js';
import { jsonValuePosition } from '../../../src/policies/validation/json-value-position.js';
import { checkXmlBody, declaredRootElements } from '../../../src/policies/validation/xml-body-check.js';

describe('OpenAPI schema dialect', () => {
  it('reads the draft a schema declares; none is OpenAPI 3.0 / draft-04', () => {
    assert.equal(declaredDraft({ type: 'object' }), 'draft4');
    assert.equal(declaredDraft({ $schema: 'http://json-schema.org/draft-07/schema#' }), 'draft7');
    assert.equal(declaredDraft({ $schema: 'https://json-schema.org/draft/2019-09/schema' }), '2019-09');
    assert.equal(declaredDraft({ $schema: 'https://json-schema.org/draft/2020-12/schema' }), '2020-12');
  });

  it('turns nullable and boolean exclusive bounds into standard JSON Schema, without touching the source', () => {
    const source = { type: 'object', properties: { n: { type: 'integer', nullable: true, minimum: 0, exclusiveMinimum: true }, e: { type: 'string', enum: ['a'], nullable: true }, m: { maximum: 5, exclusiveMaximum: false } } };
    const copy = JSON.stringify(source);
    assert.deepEqual(standardSchema(source, 'draft4', {}), {
      type: 'object',
      properties: { n: { type: ['integer', 'null'], exclusiveMinimum: 0 }, e: { type: ['string', 'null'], enum: ['a', null] }, m: { maximum: 5 } },
    });
    assert.equal(JSON.stringify(source), copy);
  });

  it('keeps a 2020-12 schema as written apart from the overrides', () => {
    const source = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { Name: { type: 'string' } }, required: ['Name'], additionalProperties: false };
    assert.deepEqual(standardSchema(source, '2020-12', { additionalProperties: true, caseInsensitivePropertyNames: true }), {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    });
  });

  it('forbids additional properties on every object schema, nested ones and definitions included', () => {
    const out = standardSchema({ definitions: { A: { type: 'object', properties: { b: { type: 'object', properties: {} } } } } }, 'draft4', { additionalProperties: false }) as {
      definitions: { A: { additionalProperties: boolean; properties: { b: { additionalProperties: boolean } } } };
    };
    assert.equal(out.definitions.A.additionalProperties, false);
    assert.equal(out.definitions.A.properties.b.additionalProperties, false);
  });

  it('copies a schema that contains itself without looping', () => {
    const node: Record<string, unknown> = { type: 'object' };
    node.properties = { self: node };
    const out = standardSchema(node, 'draft4', {}) as { properties: { self: unknown } };
    assert.equal(out.properties.self, out);
  });

  it('lowers every key of a body', () => {
    assert.deepEqual(lowerCaseKeys({ A: [{ B: 1 }], c: 'X' }), { a: [{ b: 1 }], c: 'X' });
  });
});

describe('JSON value positions', () => {
  const text = '{\n  "a": [1, {"b": "x"}],\n  "c": {"d": true}\n}';
  it('points at the last character of the value at a pointer, as Newtonsoft reports', () => {
    assert.deepEqual(jsonValuePosition(text, ''), { line: 4, position: 1 });
    assert.deepEqual(jsonValuePosition(text, '/a/0'), { line: 2, position: 9 });
    assert.deepEqual(jsonValuePosition(text, '/a/1/b'), { line: 2, position: 20 });
    assert.deepEqual(jsonValuePosition(text, '/c'), { line: 3, position: 18 });
    assert.deepEqual(jsonValuePosition(text, '/c/d'), { line: 3, position: 17 });
  });
  it('finds keys with escapes and stops at the closest value for a pointer it cannot follow', () => {
    assert.deepEqual(jsonValuePosition('{"a\\"b": 12}', '/a"b'), { line: 1, position: 11 });
    assert.deepEqual(jsonValuePosition('{"a": 1}', '/zz'), { line: 1, position: 8 });
  });
});

describe('XML bodies', () => {
  it('reports malformed XML and undeclared prefixes with line and position', () => {
    const broken = checkXmlBody('<a>\n  <b></a>', undefined, undefined);
    assert.ok(broken);
    assert.equal(broken.line, 2);
    assert.ok(checkXmlBody('<x:a />', undefined, undefined), 'an undeclared prefix is an error');
    assert.equal(checkXmlBody('<a xmlns="urn:x"><b/></a>', undefined, undefined), undefined);
  });
  it('reads the top-level elements and target namespace of an XSD', () => {
    const xsd = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"><xs:element name="A"><xs:complexType><xs:sequence><xs:element name="Inner" /></xs:sequence></xs:complexType></xs:element><xs:element name="B" /></xs:schema>';
    assert.deepEqual(declaredRootElements(xsd), [{ namespace: 'urn:t', local: 'A' }, { namespace: 'urn:t', local: 'B' }]);
    assert.equal(declaredRootElements('<notaschema/>'), undefined);
  });
  it('checks a SOAP 1.2 envelope for application/soap+xml', () => {
    const env = '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><A xmlns="urn:t"/></e:Body></e:Envelope>';
    assert.equal(checkXmlBody(env, '1.2', [{ namespace: 'urn:t', local: 'A' }]), undefined);
    assert.match(checkXmlBody(env, '1.1', undefined)!.message, /SOAP 1\.1 'Envelope'/);
    assert.match(checkXmlBody('<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>', '1.2', undefined)!.message, /no 'Body'/);
  });
});
