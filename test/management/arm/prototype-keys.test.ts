/**
 * prototype-keys.ts and the kind schemas' own-property lookups (spec-validator.ts): `__proto__`
 * is found anywhere in a parsed document (also past the call stack's depth), and names that live
 * on Object.prototype are unknown properties, never schema fields.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findPrototypeKey, prototypeKeyMessage } from '../../../src/management/arm/prototype-keys.js';
import { backendSchema, loggerSchema } from '../../../src/management/arm/resource-schemas.js';

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

describe('kind schemas with names from Object.prototype', () => {
  it('refuses __proto__ and never gives the cleaned copy a prototype from the input', () => {
    const input = JSON.parse('{"loggerType":"azureMonitor","__proto__":{"loggerType":"","injected":true}}') as Record<string, unknown>;
    const { value, problems } = loggerSchema.check(input, 'PUT');
    assert.deepEqual(problems.map((p) => p.target), ['__proto__']);
    assert.equal(problems[0]!.message, prototypeKeyMessage('__proto__'));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal((value as { injected?: unknown }).injected, undefined);
  });

  it('refuses constructor, toString and valueOf at the top and in nested objects', () => {
    const input = { url: 'http://backend.local', protocol: 'http', constructor: {}, toString: 'y', tls: { valueOf: true } };
    const { problems } = backendSchema.check(input, 'PUT');
    assert.deepEqual(problems.map((p) => p.target).sort(), ['constructor', 'tls.valueOf', 'toString']);
  });

  it('keeps inherited names as data in free-form maps, but refuses __proto__ there', () => {
    assert.deepEqual(loggerSchema.check({ loggerType: 'azureMonitor', credentials: { constructor: 'v' } }, 'PUT').problems, []);
    const input = JSON.parse('{"loggerType":"azureMonitor","credentials":{"__proto__":"v"}}') as Record<string, unknown>;
    assert.deepEqual(loggerSchema.check(input, 'PUT').problems.map((p) => p.target), ['credentials.__proto__']);
  });

  it('does not take a required field from the prototype', () => {
    const input = Object.create({ loggerType: 'azureMonitor' }) as Record<string, unknown>;
    const { problems } = loggerSchema.check(input, 'PUT');
    assert.deepEqual(problems.map((p) => p.message), ["'loggerType' is required."]);
  });
});
