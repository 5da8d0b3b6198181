/**
 * Kinds not yet moved to Azure's definitions: their hand-written schema read through the same
 * interface as the moved ones (checks, required fields, writable names, property paths).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kindSchemaOf } from '../../../src/management/arm/legacy-kind-schema.js';
import type { PropertiesSchema } from '../../../src/management/arm/property-schema.js';
import { groupSchema } from '../../../src/management/arm/resource-schemas.js';

const legacy: PropertiesSchema = {
  fields: {
    displayName: { type: 'string', required: true },
    tls: { type: 'object', properties: { validate: { type: 'boolean' } } },
    rules: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
  },
  readOnly: ['provisioningState'],
};

describe('kindSchemaOf', () => {
  it('answers a schema built from Azure\'s definitions as it is', () => {
    assert.equal(kindSchemaOf(groupSchema), groupSchema);
  });

  it('reads a hand-written schema: checks, required, writable, read-only and property paths', () => {
    const schema = kindSchemaOf(legacy);
    assert.equal(kindSchemaOf(legacy), schema, 'wrapped once');
    assert.deepEqual(schema.required, ['displayName']);
    assert.deepEqual([...schema.writable], ['displayName', 'tls', 'rules']);
    assert.deepEqual([...schema.readOnly], ['provisioningState']);
    assert.deepEqual(schema.paths, ['displayName', 'rules', 'rules[].name', 'tls', 'tls.validate']);
    assert.deepEqual(schema.check({ displayName: 'x', provisioningState: 'Succeeded' }, 'PUT'), { value: { displayName: 'x' }, problems: [] });
    assert.deepEqual(schema.check({ colour: 1 }, 'PATCH').problems.map((p) => p.target), ['colour']);
    assert.deepEqual(schema.check({}, 'PUT').problems.map((p) => p.target), ['displayName']);
  });
});
