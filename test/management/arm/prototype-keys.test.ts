/**
 * prototype-keys.ts and the property validator's own-property lookups: `__proto__` is found
 * anywhere in a parsed document (also past the call stack's depth), and names that live on
 * Object.prototype are unknown properties, never schema fields.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findPrototypeKey, prototypeKeyMessage } from '../../../src/management/arm/prototype-keys.js';
import { validateProperties, type PropertiesSchema } from '../../../src/management/arm/property-schema.js';

describe('findPrototypeKey', () => {
  it('gives the path of a __proto__ key in objects and arrays', () => {
    assert.equal(findPrototypeKey(JSON.parse('{"a":{"b":[1,{"__proto__":{}}]}}')), 'a.b[1].__proto__');
    assert.equal(findPrototypeKey(JSON.parse('{"__proto__":null}')), '__proto__');
  });

  it('finds nothing in ordinary documents, including inherited names used as keys', () => {
    assert.equal(findPrototypeKey(JSON.parse('{"constructor":{"prototype":1},"toString":"x","list":[[],{}]}')), undefined);
    assert.equal(findPrototypeKey('text'), undefined);
    assert.equal(findPrototypeKey(null), undefined);
  });

  it('names the refused key and its path in the message', () => {
    assert.equal(prototypeKeyMessage('properties.tags.__proto__'), "Property 'properties.tags.__proto__' is not allowed: '__proto__' cannot be a property name.");
  });

  it('walks a document nested deeper than the call stack', () => {
    const depth = 200_000;
    const text = '{"a":'.repeat(depth) + '{"__proto__":1}' + '}'.repeat(depth);
    const path = findPrototypeKey(JSON.parse(text));
    assert.ok(path?.endsWith('a.__proto__'), String(path?.slice(-20)));
  });
});

describe('validateProperties with names from Object.prototype', () => {
  const schema: PropertiesSchema = {
    fields: {
      displayName: { type: 'string', required: true },
      tls: { type: 'object', properties: { validate: { type: 'boolean' } } },
      headers: { type: 'object', additional: { type: 'string' } },
    },
  };

  it('refuses __proto__ and never gives the cleaned copy a prototype from the input', () => {
    const input = JSON.parse('{"displayName":"x","__proto__":{"displayName":"","injected":true}}') as Record<string, unknown>;
    const { value, problems } = validateProperties(input, schema, { partial: false });
    assert.deepEqual(problems.map((p) => p.target), ['__proto__']);
    assert.equal(problems[0]!.message, "Property '__proto__' is not a known property of this resource.");
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal((value as { injected?: unknown }).injected, undefined);
  });

  it('refuses constructor, toString and valueOf at the top and in nested objects', () => {
    const input = { displayName: 'x', constructor: {}, toString: 'y', tls: { valueOf: true } };
    const { problems } = validateProperties(input, schema, { partial: false });
    assert.deepEqual(problems.map((p) => p.target).sort(), ['constructor', 'tls.valueOf', 'toString']);
  });

  it('keeps inherited names as data in free-form maps, but refuses __proto__ there', () => {
    assert.deepEqual(validateProperties({ displayName: 'x', headers: { constructor: 'v' } }, schema, { partial: false }).problems, []);
    const input = JSON.parse('{"displayName":"x","headers":{"__proto__":"v"}}') as Record<string, unknown>;
    assert.deepEqual(validateProperties(input, schema, { partial: false }).problems.map((p) => p.target), ['headers.__proto__']);
  });

  it('does not take a required field from the prototype', () => {
    const input = Object.create({ displayName: 'inherited' }) as Record<string, unknown>;
    const { problems } = validateProperties(input, schema, { partial: false });
    assert.deepEqual(problems.map((p) => p.message), ["'displayName' is required."]);
  });
});
