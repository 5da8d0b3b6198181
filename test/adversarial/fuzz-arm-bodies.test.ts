/**
 * Fuzzing the management API's request bodies over real HTTP against a real SQLite store: any
 * JSON (or not-JSON) body PUT or PATCHed to any resource kind is either accepted or refused with
 * a 4xx ARM error body; never a 5xx, never a change to Object.prototype, and every collection
 * still lists afterwards (nothing half-written).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startManagement, type ManagementHarness } from '../management/arm/arm-harness.js';
import { fuzzParameters } from './fuzz-settings.js';

const collections = ['apis', 'products', 'subscriptions', 'namedValues', 'backends', 'apiVersionSets', 'policyFragments', 'users', 'groups', 'apis/fuzz-api/operations', 'products/fuzz-product/apis', 'apis/fuzz-api/policies'];
const propertyNames = ['displayName', 'path', 'serviceUrl', 'protocols', 'scope', 'state', 'value', 'secret', 'url', 'protocol', 'format', 'method', 'urlTemplate', 'email', 'firstName', 'lastName', 'subscriptionRequired', 'primaryKey', 'versioningScheme', 'description', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const names = ['fuzz-api', 'fuzz-product', 'a', 'policy', 'x'.repeat(80), '%2e%2e', 'a b', 'UPPER', '__proto__', 'constructor'];

const propertyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('http://127.0.0.1:9', 'https', ['http', 'https'], '/apis', 'active', 'rawxml', '<policies />', true, null));
const properties = fc.dictionary(fc.constantFrom(...propertyNames), propertyValue, { maxKeys: 6 });
/** A body as text: mostly `{"properties": …}` objects (with own `__proto__` keys), sometimes anything. */
const bodyText = fc.oneof(
  { weight: 6, arbitrary: properties.map((p) => `{"properties":{${Object.entries(p).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}}`) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const call = fc.record({ method: fc.constantFrom('PUT', 'PUT', 'PATCH'), collection: fc.constantFrom(...collections), name: fc.constantFrom(...names), body: bodyText });

describe('fuzz: management API bodies', () => {
  let h: ManagementHarness;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  before(async () => {
    h = await startManagement();
    const created = await h.call('PUT', 'apis/fuzz-api', { body: { properties: { displayName: 'Fuzz', path: 'fuzz', protocols: ['http'] } } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await h.call('PUT', 'products/fuzz-product', { body: { properties: { displayName: 'Fuzz' } } })).status, 201);
  });
  after(() => h?.close());

  it('every body is accepted or refused with a 4xx ARM error, and nothing else changes', async () => {
    await fc.assert(
      fc.asyncProperty(call, async ({ method, collection, name, body }) => {
        const reply = await h.call(method, `${collection}/${encodeURIComponent(name)}`, { raw: body, headers: { 'content-type': 'application/json', 'if-match': '*' } });
        assert.ok(reply.status < 500, `${method} ${collection}/${name} ${body} → ${reply.status} ${reply.text}`);
        if (reply.status >= 400) {
          assert.equal(typeof reply.body?.error?.code, 'string', `${reply.status} without an ARM error body: ${reply.text}`);
          assert.equal(typeof reply.body?.error?.message, 'string', reply.text);
        }
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype changed');
      }),
      fuzzParameters(400) as fc.Parameters<[unknown]>,
    );
    for (const collection of collections) {
      const list = await h.call('GET', collection);
      assert.equal(list.status, 200, `${collection} still lists: ${list.text}`);
    }
  });
});
