/** The schema shown for a body in the API reference: inline, or the named type of the API's schema document. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiSchema } from '../../../web/portal/catalogue-resources.js';
import { schemaText } from '../../../web/portal/schema-text.js';

const schema = (name: string, properties: ApiSchema['properties']): ApiSchema => ({ id: `/apis/a/schemas/${name}`, name, properties });
const schemas = [
  schema('oas', { contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Pet: { type: 'object' } } } } }),
  schema('swagger', { contentType: 'application/vnd.ms-azure-apim.swagger.definitions+json', document: { definitions: { Owner: { type: 'string' } } } }),
  schema('xsd', { contentType: 'application/vnd.ms-azure-apim.xsd+xml', document: { value: '<xs:schema/>' } }),
];

describe('schema text', () => {
  it('prefers the inline schema an import resolved', () => {
    assert.deepEqual(schemaText({ contentType: 'application/json', schema: { type: 'integer' }, schemaId: 'oas', typeName: 'Pet' }, schemas), { source: 'inline', text: '{\n  "type": "integer"\n}' });
  });

  it('finds the named type in OpenAPI components or Swagger definitions, the schema id in any case', () => {
    assert.deepEqual(schemaText({ contentType: 'application/json', schemaId: 'OAS', typeName: 'Pet' }, schemas), { source: 'Pet in schema oas', text: '{\n  "type": "object"\n}' });
    assert.deepEqual(schemaText({ contentType: 'application/json', schemaId: 'swagger', typeName: 'Owner' }, schemas), { source: 'Owner in schema swagger', text: '{\n  "type": "string"\n}' });
  });

  it('shows a text document (XSD) whole, and nothing for a missing schema or type', () => {
    assert.deepEqual(schemaText({ contentType: 'text/xml', schemaId: 'xsd', typeName: 'order' }, schemas), { source: 'order in schema xsd', text: '<xs:schema/>' });
    assert.equal(schemaText({ contentType: 'application/json', schemaId: 'missing', typeName: 'Pet' }, schemas), undefined);
    assert.equal(schemaText({ contentType: 'application/json', schemaId: 'oas', typeName: 'Nope' }, schemas), undefined);
    assert.equal(schemaText({ contentType: 'application/json', schemaId: 'oas', typeName: 'constructor' }, schemas), undefined);
    assert.equal(schemaText({ contentType: 'application/json' }, schemas), undefined);
  });
});
