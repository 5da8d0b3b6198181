import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, storeState, type ManagementHarness } from './arm-harness.js';

// Bad input never half-writes: every refused request leaves store.all() exactly as it was.
describe('management API: bad input leaves the store unchanged', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await h.call('PUT', 'apis/a', { body: { properties: { displayName: 'A', path: 'a' } } });
    await h.call('PUT', 'products/p', { body: { properties: { displayName: 'P' } } });
    await h.call('PUT', 'namedValues/n', { body: { properties: { displayName: 'n', value: 'v' } } });
  });
  after(() => h.close());

  const refused: Array<{ name: string; method: string; path: string; raw?: string; body?: unknown; status: number }> = [
    { name: 'malformed JSON', method: 'PUT', path: 'apis/b', raw: '{"properties":{"displayName":"B",', status: 400 },
    { name: 'malformed JSON on update', method: 'PUT', path: 'apis/a', raw: '{"properties": nope}', status: 400 },
    { name: 'properties not an object', method: 'PUT', path: 'products/q', body: { properties: 'x' }, status: 400 },
    { name: 'wrong types', method: 'PUT', path: 'apis/a', body: { properties: { displayName: 7, path: ['a'], protocols: 'https', subscriptionRequired: 'yes' } }, status: 400 },
    { name: 'wrong nested types', method: 'PUT', path: 'apis/a/operations/o', body: { properties: { displayName: 'O', method: 'GET', urlTemplate: '/o', responses: [{ statusCode: 'ok' }] } }, status: 400 },
    { name: 'unknown property', method: 'PUT', path: 'products/p', body: { properties: { displayName: 'P', colour: 'red' } }, status: 400 },
    { name: 'unknown nested property', method: 'PUT', path: 'backends/b', body: { properties: { url: 'http://b', tls: { validate: true } } }, status: 400 },
    { name: 'oversize value', method: 'PUT', path: 'namedValues/n', body: { properties: { displayName: 'n', value: 'x'.repeat(4097) } }, status: 400 },
    { name: 'oversize display name', method: 'PUT', path: 'apis/a', body: { properties: { displayName: 'x'.repeat(301), path: 'a' } }, status: 400 },
    { name: 'oversize body', method: 'PUT', path: 'apis/c', body: { properties: { displayName: 'C', path: 'c', description: 'd'.repeat(4_300_000) } }, status: 413 },
    { name: 'bad XML', method: 'PUT', path: 'apis/a/policies/policy', body: { properties: { value: '<policies><inbound>' } }, status: 400 },
    { name: 'bad policy', method: 'PUT', path: 'policies/policy', body: { properties: { value: '<policies><inbound><rate-limit calls="x" renewal-period="1" /></inbound></policies>' } }, status: 400 },
    { name: 'bad enum in PATCH', method: 'PATCH', path: 'products/p', body: { properties: { state: 'gone' } }, status: 400 },
    { name: 'PATCH removing a required field', method: 'PATCH', path: 'products/p', body: { properties: { displayName: null } }, status: 400 },
    { name: 'bad resource name', method: 'PUT', path: 'products/a:b', body: { properties: { displayName: 'x' } }, status: 400 },
    { name: 'child of a missing parent', method: 'PUT', path: 'apis/ghost/operations/o', body: { properties: { displayName: 'O', method: 'GET', urlTemplate: '/o' } }, status: 404 },
    { name: 'subscription to a missing product', method: 'PUT', path: 'subscriptions/s', body: { properties: { displayName: 'S', scope: '/products/ghost' } }, status: 400 },
    { name: 'release of a missing revision', method: 'PUT', path: 'apis/a/releases/r', body: { properties: { apiId: '/apis/a;rev=9' } }, status: 400 },
  ];

  for (const c of refused) {
    it(`refuses ${c.name} with ${c.status} and changes nothing`, async () => {
      const before = await storeState(h.store);
      const version = await h.store.version();
      const r = await h.call(c.method, c.path, { raw: c.raw, body: c.body, headers: c.method === 'PATCH' ? { 'if-match': '*' } : undefined });
      assert.equal(r.status, c.status, r.text);
      assert.ok(r.body?.error?.code, 'an ARM error body');
      assert.deepEqual(await storeState(h.store), before);
      assert.equal(await h.store.version(), version, 'no transaction committed');
    });
  }

  it('keeps exactly one of many concurrent creates of the same resource', async () => {
    const before = (await h.store.all()).length;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.call('PUT', 'products/contested', { body: { properties: { displayName: `C${i}` } }, headers: { 'if-none-match': '*' } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.ok(statuses.every((s) => s === 201 || s === 412 || s === 409), statuses.join(','));
    const winner = results.find((r) => r.status === 201)!;
    const stored = await h.store.get('products/contested');
    assert.equal(stored!.body.displayName, winner.body.properties.displayName);
    assert.equal((await h.store.all()).length, before + 1);
  });
});
