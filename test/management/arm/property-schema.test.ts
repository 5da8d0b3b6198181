/**
 * The ARM body validator on its own: every rule of the schema language, each problem's target
 * and message, the prototype names that are never fields, read-only fields dropped and required
 * fields only for a full PUT.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ArmErrorDetail } from '../../../src/management/arm/arm-error.js';
import { canonicalEnum, checkField, validateProperties, type FieldSchema, type PropertiesSchema } from '../../../src/management/arm/property-schema.js';

function problemsOf(v: unknown, field: FieldSchema, target = 'f'): string[] {
  const problems: ArmErrorDetail[] = [];
  checkField(v, field, target, problems);
  for (const p of problems) assert.equal(p.code, 'ValidationError');
  return problems.map((p) => `${p.target}: ${p.message}`);
}

const schema: PropertiesSchema = {
  fields: {
    displayName: { type: 'string', required: true, minLength: 1, maxLength: 10 },
    path: { type: 'string', pattern: /^[a-z]+$/ },
    state: { type: 'string', enum: ['active', 'suspended'] },
    enabled: { type: 'boolean' },
    count: { type: 'integer', min: 1, max: 5, required: true, nullable: true },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 }, maxItems: 2 },
    settings: { type: 'object', properties: { mode: { type: 'string', required: true }, level: { type: 'integer' } } },
    headers: { type: 'object', additional: { type: 'string' } },
    free: { type: 'any' },
  },
  readOnly: ['provisioningState'],
};

describe('ARM property validation', () => {
  it('accepts a valid body and drops read-only fields', () => {
    const input = { displayName: 'Orders', path: 'orders', state: 'ACTIVE', enabled: false, count: 3, tags: ['a', 'bcd'], settings: { mode: 'x', level: 2 }, headers: { a: 'b' }, free: { anything: [1] }, provisioningState: 'Succeeded' };
    const { value, problems } = validateProperties(input, schema, { partial: false });
    assert.deepEqual(problems, []);
    assert.deepEqual(Object.keys(value), ['displayName', 'path', 'state', 'enabled', 'count', 'tags', 'settings', 'headers', 'free']);
    assert.equal(value.state, 'ACTIVE', 'values are kept as given');
  });

  it('requires required fields on a full PUT only, and null counts as missing', () => {
    const missing = validateProperties({}, schema, { partial: false }).problems;
    assert.deepEqual(missing.map((p) => p.code), ['ValidationError', 'ValidationError']);
    const full = missing.map((p) => `${p.target}: ${p.message}`);
    assert.deepEqual(full, ["displayName: 'displayName' is required.", "count: 'count' is required."]);
    assert.deepEqual(validateProperties({}, schema, { partial: true }).problems, []);
    const nulls = validateProperties({ displayName: null, count: null }, schema, { partial: false }).problems.map((p) => `${p.target}: ${p.message}`);
    assert.deepEqual(nulls, ["displayName: 'displayName' must not be null.", "displayName: 'displayName' is required.", "count: 'count' is required."]);
  });

  it('refuses unknown properties, prototype names included', () => {
    for (const key of ['displayname', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const input = JSON.parse(`{"displayName":"x","count":1,${JSON.stringify(key)}:1}`) as Record<string, unknown>;
      const { problems, value } = validateProperties(input, schema, { partial: false });
      assert.deepEqual(problems.map((p) => p.target), [key], key);
      assert.equal(problems[0]!.code, 'ValidationError');
      assert.equal(problems[0]!.message, `Property '${key}' is not a known property of this resource.`);
      assert.equal(Object.prototype.hasOwnProperty.call(value, key), false, key);
    }
  });

  it('checks strings: type, length bounds, pattern, enum in any case', () => {
    const s = schema.fields;
    assert.deepEqual(problemsOf(1, s.displayName!), ["f: 'f' must be a string."]);
    assert.deepEqual(problemsOf('', s.displayName!), ["f: 'f' must be at least 1 characters long."]);
    assert.deepEqual(problemsOf('a', s.displayName!), []);
    assert.deepEqual(problemsOf('a'.repeat(10), s.displayName!), []);
    assert.deepEqual(problemsOf('a'.repeat(11), s.displayName!), ["f: 'f' must be at most 10 characters long."]);
    assert.deepEqual(problemsOf('Orders', s.path!), ["f: 'f' has an invalid format."]);
    assert.deepEqual(problemsOf('orders', s.path!), []);
    assert.deepEqual(problemsOf('Suspended', s.state!), []);
    assert.deepEqual(problemsOf('gone', s.state!), ["f: 'f' must be one of: active, suspended."]);
  });

  it('checks booleans and integers with their bounds', () => {
    assert.deepEqual(problemsOf('true', { type: 'boolean' }), ["f: 'f' must be a boolean."]);
    assert.deepEqual(problemsOf(true, { type: 'boolean' }), []);
    const count = schema.fields.count!;
    assert.deepEqual(problemsOf(1.5, count), ["f: 'f' must be an integer."]);
    assert.deepEqual(problemsOf('2', count), ["f: 'f' must be an integer."]);
    assert.deepEqual(problemsOf(0, count), ["f: 'f' must be at least 1."]);
    assert.deepEqual(problemsOf(1, count), []);
    assert.deepEqual(problemsOf(5, count), []);
    assert.deepEqual(problemsOf(6, count), ["f: 'f' must be at most 5."]);
  });

  it('checks arrays: type, item count and every item under its index', () => {
    const tags = schema.fields.tags!;
    assert.deepEqual(problemsOf('a', tags), ["f: 'f' must be an array."]);
    assert.deepEqual(problemsOf(['a', 'b', 'c'], tags), ["f: 'f' must have at most 2 items."]);
    assert.deepEqual(problemsOf(['a', 'abcd'], tags), ["f[1]: 'f[1]' must be at most 3 characters long."]);
    assert.deepEqual(problemsOf([], tags), []);
  });

  it('checks objects: named and additional properties, required inner fields, no prototype keys', () => {
    const settings = schema.fields.settings!;
    assert.deepEqual(problemsOf([], settings), ["f: 'f' must be an object."]);
    assert.deepEqual(problemsOf('x', settings), ["f: 'f' must be an object."]);
    assert.deepEqual(problemsOf({ mode: 'a' }, settings), []);
    assert.deepEqual(problemsOf({}, settings), ["f.mode: 'f.mode' is required."]);
    assert.deepEqual(problemsOf({ mode: null }, settings), ["f.mode: 'f.mode' must not be null.", "f.mode: 'f.mode' is required."], 'null counts as missing inside objects too');
    assert.deepEqual(problemsOf({ mode: 'a', level: 'x' }, settings), ["f.level: 'f.level' must be an integer."]);
    assert.deepEqual(problemsOf({ mode: 'a', other: 1 }, settings), ["f.other: Property 'f.other' is not a known property."]);
    assert.deepEqual(problemsOf({ mode: 'a', constructor: 1 }, settings), ["f.constructor: Property 'f.constructor' is not a known property."]);
    assert.deepEqual(problemsOf(JSON.parse('{"mode":"a","__proto__":{"x":1}}'), settings), [
      "f.__proto__: Property 'f.__proto__' is not allowed: '__proto__' cannot be a property name.",
    ]);
    const headers = schema.fields.headers!;
    assert.deepEqual(problemsOf({ a: 'b', constructor: 'c' }, headers), [], 'a name map takes any own name');
    assert.deepEqual(problemsOf({ a: 1 }, headers), ["f.a: 'f.a' must be a string."]);
  });

  it('null: refused only where required and not nullable; any takes everything', () => {
    assert.deepEqual(problemsOf(null, { type: 'string', required: true }), ["f: 'f' must not be null."]);
    assert.deepEqual(problemsOf(null, { type: 'string', required: true, nullable: true }), []);
    assert.deepEqual(problemsOf(null, { type: 'string' }), []);
    assert.deepEqual(problemsOf({ deep: [null] }, { type: 'any' }), []);
    assert.deepEqual(problemsOf(null, { type: 'any', required: true }), []);
  });

  it('canonicalEnum spells an enum value as the schema does', () => {
    assert.equal(canonicalEnum('ACTIVE', ['active', 'suspended']), 'active');
    assert.equal(canonicalEnum('Suspended', ['active', 'suspended']), 'suspended');
    assert.equal(canonicalEnum('gone', ['active']), 'gone');
    assert.equal(canonicalEnum(3, ['active']), 3);
  });
});
